package io.stratus.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import io.stratus.sqs.SqsModel.MessageAttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's MD5 digests against published values, and the message checks. */
class MessageContentsTest {

    private static MessageAttributeValue string(String type, String value) {
        return new MessageAttributeValue(value, null, null, null, type);
    }

    private static MessageAttributeValue binary(String value) {
        return new MessageAttributeValue(null, value.getBytes(StandardCharsets.UTF_8), null, null, "Binary");
    }

    @Test
    void md5OfBodyIsTheHexDigestOfItsUtf8Bytes() {
        assertThat(MessageContents.md5OfBody("hello world")).isEqualTo("5eb63bbbe01eeed093cb22bb8f5acdc3");
    }

    // Expected values from the aws-md5-of-message-attributes package, which checks them against SQS.
    @Test
    void md5OfAStringAttribute() {
        assertThat(MessageContents.md5OfAttributes(Map.of("attribName1", string("String", "attribValue 1"))))
                .isEqualTo("19e27d4e946b072f3f58da80d94fd778");
    }

    @Test
    void md5OfACustomNumberAttribute() {
        assertThat(MessageContents.md5OfAttributes(Map.of("customNumberTypeAttrib", string("Number.float", "4563442423554324324264524243.32543234"))))
                .isEqualTo("9fe1b90bbd9965bdf77bac517c7d2495");
    }

    @Test
    void md5OfABinaryAttribute() {
        assertThat(MessageContents.md5OfAttributes(Map.of("binaryAttribute", binary("Hello binary world!"))))
                .isEqualTo("31a92b15d92f8db860eda32aceb656c3");
    }

    @Test
    void md5OfSeveralAttributesSortsThemByName() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("binaryAttribute", binary("Hello binary world!"));
        attributes.put("customNumberTypeAttrib", string("Number.float", "4563442423554324324264524243.32543234"));
        attributes.put("attribName1", string("String", "attribValue 1"));

        assertThat(MessageContents.md5OfAttributes(attributes)).isEqualTo("c932db14a896c663f83c260297d594ff");
        assertThat(MessageContents.md5OfAttributes(Map.of())).isNull();
    }

    @Test
    void sizeCountsBodyAndEachAttributesNameTypeAndValue() {
        assertThat(MessageContents.size("abc", Map.of("k", string("String", "vv")))).isEqualTo(3 + 1 + 6 + 2);
    }

    @Test
    void bodiesOutsideTheXmlCharacterSetAreRejected() {
        MessageContents.checkBody("tab\t newline\n emoji \uD83D\uDE00");
        assertThatThrownBy(() -> MessageContents.checkBody("nul \u0000"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.INVALID_MESSAGE_CONTENTS));
        assertThatThrownBy(() -> MessageContents.checkBody("lone \uD800 surrogate"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.INVALID_MESSAGE_CONTENTS));
        assertThatThrownBy(() -> MessageContents.checkBody(""))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.MISSING_PARAMETER));
    }

    @Test
    void attributeNamesAndTypesFollowAwsRules() {
        MessageContents.checkAttributes(Map.of("good_name-1.x", string("String.custom", "v")));
        for (String name : Map.of("AWS.reserved", 0, "amazon.x", 0, ".lead", 0, "trail.", 0, "two..dots", 0, "sp ace", 0).keySet()) {
            assertThatThrownBy(() -> MessageContents.checkAttributes(Map.of(name, string("String", "v"))))
                    .as(name).isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(SqsErrors.INVALID_PARAMETER_VALUE));
        }
        assertThatThrownBy(() -> MessageContents.checkAttributes(Map.of("n", string("Number", "1e"))))
                .isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> MessageContents.checkAttributes(Map.of("s", string("String", ""))))
                .isInstanceOf(AwsException.class);
    }
}
