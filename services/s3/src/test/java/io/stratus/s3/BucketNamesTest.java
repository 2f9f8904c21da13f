package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            abc                       | true
            my-bucket.with.dots       | true
            123bucket                 | true
            ab                        | false
            Upper                     | false
            under_score               | false
            -dash-first               | false
            dash-last-                | false
            dot.last.                 | false
            two..dots                 | false
            dot-.dash                 | false
            192.168.0.1               | false
            xn--punycode              | false
            sthree-reserved           | false
            amzn-s3-demo-bucket       | false
            alias-s3alias             | false
            lambda--ol-s3             | false
            point.mrap                | false
            express--x-s3             | false
            table--table-s3           | false
            """)
    void followsS3sNamingRules(String name, boolean valid) {
        assertThat(BucketNames.isValid(name)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} characters")
    @CsvSource({"3, true", "63, true", "64, false"})
    void lengthIsThreeToSixtyThree(int length, boolean valid) {
        assertThat(BucketNames.isValid("a".repeat(length))).isEqualTo(valid);
    }
}
