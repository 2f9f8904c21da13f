package io.stratus.e2e.dynamodb;

import static io.stratus.e2e.dynamodb.Tables.key;
import static io.stratus.e2e.dynamodb.Tables.n;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.StratusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Conditional writes and transactions raced from many threads: every acknowledged change counts exactly once. */
@StratusTest
class DynamoDbConcurrencyIT {

    private static final int THREADS = 8;
    private static final int ROUNDS = 25;

    @Test
    void optimisticIncrementsWithAVersionConditionLoseNothing(DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "race", null);
        dynamo.putItem(r -> r.tableName("race").item(Map.of("pk", Tables.s("counter"), "n", n("0"))));
        AtomicInteger conflicts = new AtomicInteger();

        runOnThreads(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                while (true) {
                    String current = dynamo.getItem(r -> r.tableName("race").key(key("counter")).consistentRead(true)).item().get("n").n();
                    String next = Integer.toString(Integer.parseInt(current) + 1);
                    try {
                        dynamo.updateItem(r -> r.tableName("race").key(key("counter")).updateExpression("SET n = :next")
                                .conditionExpression("n = :current").expressionAttributeValues(Map.of(":next", n(next), ":current", n(current))));
                        break;
                    } catch (ConditionalCheckFailedException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
        });

        assertThat(dynamo.getItem(r -> r.tableName("race").key(key("counter"))).item().get("n").n()).isEqualTo(Integer.toString(THREADS * ROUNDS));
        assertThat(conflicts.get()).as("threads really raced").isPositive();
    }

    @Test
    void transfersInTransactionsKeepTheTotal(DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "bank", null);
        for (String account : List.of("a", "b", "c")) {
            dynamo.putItem(r -> r.tableName("bank").item(Map.of("pk", Tables.s(account), "balance", n("100"))));
        }
        AtomicInteger committed = new AtomicInteger();

        runOnThreads(() -> {
            java.util.Random random = new java.util.Random();
            for (int i = 0; i < ROUNDS; i++) {
                String from = List.of("a", "b", "c").get(random.nextInt(3));
                String to = from.equals("a") ? "b" : from.equals("b") ? "c" : "a";
                try {
                    dynamo.transactWriteItems(r -> r.transactItems(
                            TransactWriteItem.builder().update(u -> u.tableName("bank").key(key(from)).updateExpression("SET balance = balance - :x")
                                    .conditionExpression("balance >= :x").expressionAttributeValues(Map.of(":x", n("7")))).build(),
                            TransactWriteItem.builder().update(u -> u.tableName("bank").key(key(to)).updateExpression("SET balance = balance + :x")
                                    .expressionAttributeValues(Map.of(":x", n("7")))).build()));
                    committed.incrementAndGet();
                } catch (TransactionCanceledException e) {
                    // Not enough money: nothing moved.
                }
            }
        });

        int total = 0;
        for (String account : List.of("a", "b", "c")) {
            int balance = Integer.parseInt(dynamo.getItem(r -> r.tableName("bank").key(key(account))).item().get("balance").n());
            assertThat(balance).isNotNegative();
            total += balance;
        }
        assertThat(total).isEqualTo(300);
        assertThat(committed.get()).isPositive();
    }

    @Test
    void itemCountAndTableSizeStayExactUnderConcurrentPutsOverwritesAndDeletes(DynamoDbClient dynamo) throws Exception {
        Tables.create(dynamo, "counted", null);
        AtomicInteger next = new AtomicInteger();

        runOnThreads(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                String pk = "item-" + next.getAndIncrement();
                dynamo.putItem(r -> r.tableName("counted").item(Map.of("pk", Tables.s(pk), "v", Tables.s("x"))));
                dynamo.putItem(r -> r.tableName("counted").item(Map.of("pk", Tables.s(pk), "v", Tables.s("longer value"))));
                if (i % 5 == 0) {
                    dynamo.deleteItem(r -> r.tableName("counted").key(key(pk)));
                }
            }
        });

        int items = THREADS * ROUNDS - THREADS * ((ROUNDS + 4) / 5);
        TableDescription table = dynamo.describeTable(r -> r.tableName("counted")).table();
        assertThat(table.itemCount()).isEqualTo(items);
        long itemBytes = dynamo.scan(r -> r.tableName("counted")).items().stream()
                .mapToLong(item -> "pk".length() + item.get("pk").s().length() + "v".length() + item.get("v").s().length()).sum();
        assertThat(table.tableSizeBytes()).isEqualTo(itemBytes);
    }

    private static void runOnThreads(Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(work));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
