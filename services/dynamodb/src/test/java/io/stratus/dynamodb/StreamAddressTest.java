package io.stratus.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream ARNs and sequence numbers: what parses, what does not. */
class StreamAddressTest {

    @ParameterizedTest
    @CsvSource({
        "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T10:00:00.000, us-east-1, 000000000000, orders, 2026-01-01T10:00:00.000",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/a.b-c_d/stream/1999-12-31T23:59:59.999, eu-west-1, 123456789012, a.b-c_d, 1999-12-31T23:59:59.999",
    })
    void streamArnsNameRegionAccountTableAndLabel(String arn, String region, String account, String table, String label) {
        assertThat(Stream.Address.parse(arn)).isEqualTo(new Stream.Address(region, account, table, label));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:dynamodb:us-east-1:000000000000:table/orders",
        "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/",
        "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/yesterday",
        "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T10:00:00",
        "arn:aws:sqs:us-east-1:000000000000:table/orders/stream/2026-01-01T10:00:00.000",
        "arn:aws:dynamodb::000000000000:table/orders/stream/2026-01-01T10:00:00.000",
        "arn:aws:dynamodb:us-east-1:000000000000:table//stream/2026-01-01T10:00:00.000",
        "arn:aws:dynamodb:us-east-1:000000000000:index/orders/stream/2026-01-01T10:00:00.000",
        "not an arn",
    })
    void otherStringsAreNotStreamArns(String arn) {
        assertThat(Stream.Address.parse(arn)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"1, 100000000000000000001", "42, 100000000000000000042", "9223372036854775807, 109223372036854775807"})
    void sequenceNumbersAreTwentyOneDigitsThatSortAsNumbersAndStrings(long sequence, String number) {
        assertThat(StreamStore.sequenceNumber(sequence)).isEqualTo(number);
        assertThat(StreamStore.parseSequenceNumber(number)).isEqualTo(sequence);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "100000000000000000000", "200000000000000000001", "10000000000000000000x", "1000000000000000000001"})
    void otherNumbersAreRefused(String number) {
        assertThatThrownBy(() -> StreamStore.parseSequenceNumber(number)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DynamoDbErrors.VALIDATION));
    }
}
