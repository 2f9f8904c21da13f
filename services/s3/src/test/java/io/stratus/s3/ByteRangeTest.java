package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} bytes")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            bytes=0-9      | 10 | 0 | 9
            bytes=2-5      | 10 | 2 | 5
            bytes=7-       | 10 | 7 | 9
            bytes=8-100    | 10 | 8 | 9
            bytes=-3       | 10 | 7 | 9
            bytes=-100     | 10 | 0 | 9
            bytes=5-2      | 10 | none | none
            lines=1-2      | 10 | none | none
            bytes=0-1,3-4  | 10 | none | none
            bytes=-        | 10 | none | none
            """)
    void satisfiableOrIgnored(String header, long size, Long first, Long last) {
        Optional<ByteRange> range = ByteRange.parse(header, size);

        if (first == null) {
            assertThat(range).isEmpty();
        } else {
            assertThat(range).contains(new ByteRange(first, last));
        }
    }

    @ParameterizedTest(name = "{0} of {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=10-   | 10
            bytes=10-20 | 10
            bytes=-0    | 10
            bytes=0-    | 0
            bytes=-5    | 0
            """)
    void unsatisfiableIsInvalidRange(String header, long size) {
        assertThatThrownBy(() -> ByteRange.parse(header, size))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(S3Errors.INVALID_RANGE);
                    assertThat(e.details()).containsEntry("ActualObjectSize", Long.toString(size));
                });
    }
}
