package io.stratus.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratus.core.AwsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Filter patterns against messages, with examples from AWS's filter pattern syntax guide. */
class FilterPatternTest {

    @ParameterizedTest(name = "[{0}] on [{1}] → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                   | anything                                  | true
            ERROR                                | [ERROR] 400 BAD REQUEST                   | true
            ERROR                                | [error] lower case                        | false
            ERROR ARGUMENTS                      | [ERROR] Missing ARGUMENTS                 | true
            ERROR ARGUMENTS                      | [ERROR] only one                          | false
            ?ERROR ?WARN                         | [WARN] disk                               | true
            ?ERROR ?WARN                         | [INFO] fine                               | false
            ERROR -Exiting                       | [ERROR] Exiting program                   | false
            ERROR -Exiting                       | [ERROR] Caught IllegalArgumentException   | true
            '"Task timed out"'                   | 2026 Task timed out after 3.00 seconds    | true
            '"Task timed out"'                   | Task did not time out                     | false
            '{ $.eventType = "UpdateTrail" }'    | {"eventType": "UpdateTrail", "n": 1}      | true
            '{ $.eventType = "UpdateTrail" }'    | {"eventType": "CreateTrail"}              | false
            '{ $.eventType = "Update*" }'        | {"eventType": "UpdateTrail"}              | true
            '{ $.eventType != "Update*" }'       | {"eventType": "CreateTrail"}              | true
            '{ $.latency > 100 }'                | {"latency": 250}                          | true
            '{ $.latency > 100 }'                | {"latency": 50}                           | false
            '{ $.latency >= 50 && $.ok IS TRUE }' | {"latency": 50, "ok": true}              | true
            '{ $.latency >= 50 && $.ok IS TRUE }' | {"latency": 50, "ok": false}             | false
            '{ ($.a = 1) || ($.b = "x") }'       | {"a": 2, "b": "x"}                        | true
            '{ $.user.id = 42 }'                 | {"user": {"id": 42}}                      | true
            '{ $.items[1] = "b" }'               | {"items": ["a", "b"]}                     | true
            '{ $.missing NOT EXISTS }'           | {"present": 1}                            | true
            '{ $.value IS NULL }'                | {"value": null}                           | true
            '{ $.level = "error" }'              | not json at all                           | false
            %ERR(OR)?%                           | an ERR happened                           | true
            %^\\d+$%                             | 12345                                     | true
            """)
    void matches(String pattern, String message, boolean expected) {
        assertThat(FilterPattern.parse(pattern).matches(message)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ $.a = }", "{ a = 1 }", "{ $.a = 1", "\"unclosed", "{ $.a > \"x\" }", "%(%"})
    void refusesPatternsThatDoNotParse(String pattern) {
        assertThatThrownBy(() -> FilterPattern.parse(pattern))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.errorCode()).isEqualTo(LogsErrors.INVALID_PARAMETER));
    }
}
