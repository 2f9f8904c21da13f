package io.stratus.dynamodb.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DynamoDB's number rules and item sizes. */
class NumbersTest {

    @ParameterizedTest(name = "{0} is stored as {1}")
    @CsvSource({
            "1.50, 1.5",
            "01, 1",
            "1E+2, 100",
            "-0.000, 0",
            "+7, 7",
            "1.0E-5, 0.00001",
            "12345678901234567890123456789012345678000, 12345678901234567890123456789012345678000"
    })
    void numbersAreCanonical(String given, String stored) {
        assertThat(new AttributeValue.N(Numbers.parse(given)).text()).isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "1E+126|Number overflow. Attempting to store a number with magnitude larger than supported range",
            "-1E+126|Number overflow. Attempting to store a number with magnitude larger than supported range",
            "9.9999999999999999999999999999999999999E-131|Number underflow. Attempting to store a number with magnitude smaller than supported range",
            "1.2345678901234567890123456789012345678|OK",
            "1.23456789012345678901234567890123456789|Attempting to store more than 38 significant digits in a Number",
            "one|The parameter cannot be converted to a numeric value: one",
            "NaN|The parameter cannot be converted to a numeric value: NaN"
    })
    void numbersOutsideDynamoDbsRangeAreRefused(String given, String message) {
        if (message.equals("OK")) {
            Numbers.parse(given);
            return;
        }
        assertThatThrownBy(() -> Numbers.parse(given)).isInstanceOf(AwsException.class).hasMessage(message);
    }

    @Test
    void itemSizeCountsNamesAndValuesAsAwsDocuments() {
        Map<String, AttributeValue> item = Map.of(
                "s", new AttributeValue.S("héllo"),
                "n", new AttributeValue.N(Numbers.parse("12345")),
                "b", new AttributeValue.Bool(true),
                "l", new AttributeValue.L(List.of(new AttributeValue.S("ab"), new AttributeValue.Null())),
                "m", new AttributeValue.M(Map.of("k", new AttributeValue.S("v"))));

        // s: 1 + 6 bytes; n: 1 + (5 digits → 3 + 1); b: 1 + 1; l: 1 + 3 + 2 + (2 + 1); m: 1 + 3 + 1 + (1 + 1)
        assertThat(ItemSize.of(item)).isEqualTo(7 + 5 + 2 + 9 + 7);
    }
}
