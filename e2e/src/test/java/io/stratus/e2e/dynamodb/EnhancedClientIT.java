package io.stratus.e2e.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The SDK's Enhanced Client with {@code @DynamoDbBean} classes: create, put, get, query, optimistic locking. */
@StratusTest
class EnhancedClientIT {

    @DynamoDbBean
    public static class Order {
        private String customer;
        private String orderId;
        private Integer total;
        private List<String> items;
        private Long version;

        @DynamoDbPartitionKey
        public String getCustomer() {
            return customer;
        }

        public void setCustomer(String customer) {
            this.customer = customer;
        }

        @DynamoDbSortKey
        public String getOrderId() {
            return orderId;
        }

        public void setOrderId(String orderId) {
            this.orderId = orderId;
        }

        public Integer getTotal() {
            return total;
        }

        public void setTotal(Integer total) {
            this.total = total;
        }

        public List<String> getItems() {
            return items;
        }

        public void setItems(List<String> items) {
            this.items = items;
        }

        @DynamoDbVersionAttribute
        public Long getVersion() {
            return version;
        }

        public void setVersion(Long version) {
            this.version = version;
        }
    }

    private static Order order(String customer, String id, int total) {
        Order order = new Order();
        order.setCustomer(customer);
        order.setOrderId(id);
        order.setTotal(total);
        order.setItems(List.of("book", "pen"));
        return order;
    }

    @Test
    void beansRoundTripAndQueryBySortKey(DynamoDbClient dynamo) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        DynamoDbTable<Order> orders = enhanced.table("enhanced-orders", TableSchema.fromBean(Order.class));
        orders.createTable();
        dynamo.waiter().waitUntilTableExists(r -> r.tableName("enhanced-orders"));

        orders.putItem(order("ann", "2024-01", 30));
        orders.putItem(order("ann", "2024-02", 70));
        orders.putItem(order("bob", "2024-01", 5));

        Order read = orders.getItem(Key.builder().partitionValue("ann").sortValue("2024-02").build());
        assertThat(read.getTotal()).isEqualTo(70);
        assertThat(read.getItems()).containsExactly("book", "pen");
        assertThat(read.getVersion()).isEqualTo(1L);

        List<Order> big = orders.query(r -> r.queryConditional(QueryConditional.sortGreaterThan(k -> k.partitionValue("ann").sortValue("2024-01")))
                .filterExpression(Expression.builder().expression("#t > :min").putExpressionName("#t", "total")
                        .putExpressionValue(":min", AttributeValue.fromN("50")).build()))
                .items().stream().toList();
        assertThat(big).extracting(Order::getOrderId).containsExactly("2024-02");
        assertThat(orders.scan().items().stream().count()).isEqualTo(3);
    }

    @Test
    void versionAttributeRefusesAStaleWrite(DynamoDbClient dynamo) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        DynamoDbTable<Order> orders = enhanced.table("enhanced-versions", TableSchema.fromBean(Order.class));
        orders.createTable();
        orders.putItem(order("cy", "1", 1));
        Order first = orders.getItem(Key.builder().partitionValue("cy").sortValue("1").build());
        Order second = orders.getItem(Key.builder().partitionValue("cy").sortValue("1").build());

        first.setTotal(2);
        orders.updateItem(first);
        second.setTotal(3);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> orders.updateItem(second)).isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(orders.getItem(Key.builder().partitionValue("cy").sortValue("1").build()).getVersion()).isEqualTo(2L);
    }
}
