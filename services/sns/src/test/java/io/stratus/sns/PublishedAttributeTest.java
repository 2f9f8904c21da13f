package io.stratus.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedAttributeTest {

    @Test
    void aPendingDeliveryKeepsItsAttributesTypes() {
        Delivery delivery = new Delivery("sub", "arn:aws:sqs:us-east-1:000000000000:q", "body",
                Map.of("n", new PublishedAttribute("Number", "1.5"), "b", new PublishedAttribute("Binary", "AQL/")), null, null,
                "arn:aws:sns:us-east-1:000000000000:t", "000000000000", null, null, 0, 0, 0, null);

        Delivery read = SnsStore.decode(SnsStore.encode(delivery), Delivery.class);

        assertThat(read.attributes()).isEqualTo(delivery.attributes());
        assertThat(read.attributes().get("b").toMessageAttribute().binaryValue()).containsExactly(1, 2, 0xFF);
        assertThat(read.attributes().get("n").toMessageAttribute().stringValue()).isEqualTo("1.5");
    }

    @Test
    void aPendingDeliveryAnEarlierStratusStoredWithTextAttributesIsStillRead() {
        String stored = "{\"subscriptionArn\":\"sub\",\"endpoint\":\"arn:aws:sqs:us-east-1:000000000000:q\",\"payload\":\"body\","
                + "\"attributes\":{\"kind\":\"order\"},\"topicArn\":\"arn:aws:sns:us-east-1:000000000000:t\",\"topicAccount\":\"000000000000\","
                + "\"attempts\":0,\"notBefore\":0,\"publishedAt\":0}";

        Delivery read = SnsStore.decode(stored.getBytes(StandardCharsets.UTF_8), Delivery.class);

        assertThat(read.attributes()).containsExactly(Map.entry("kind", new PublishedAttribute("String", "order")));
    }
}
