package io.stratus.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {

    /** Last modified Tue, 14 Nov 2023 22:13:20 GMT, ETag "abc". */
    private static final StoredObject OBJECT = new StoredObject("k", null, "body", 1, "abc", 1_700_000_000_000L, null, Map.of(),
            null, null, null, null, null, Map.of(), false, null, null, null, null, null);
    private static final String BEFORE = "Tue, 14 Nov 2023 22:13:19 GMT";
    private static final String AT = "Tue, 14 Nov 2023 22:13:20 GMT";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            no conditions                                  | -       | -       | -          | -          | PROCEED      | -
            If-Match matches                               | "abc"   | -       | -          | -          | PROCEED      | -
            If-Match in a list                             | "x", "abc" | -    | -          | -          | PROCEED      | -
            If-Match star                                  | *       | -       | -          | -          | PROCEED      | -
            If-Match differs                               | "xyz"   | -       | -          | -          | FAILED       | If-Match
            If-Match wins over a failing If-Unmodified-Since | "abc" | -       | -          | BEFORE     | PROCEED      | -
            If-Unmodified-Since before the change fails    | -       | -       | -          | BEFORE     | FAILED       | If-Unmodified-Since
            If-Unmodified-Since at the change holds        | -       | -       | -          | AT         | PROCEED      | -
            If-None-Match matches                          | -       | "abc"   | -          | -          | NOT_MODIFIED | If-None-Match
            weak If-None-Match matches                     | -       | W/"abc" | -          | -          | NOT_MODIFIED | If-None-Match
            If-None-Match differs                          | -       | "xyz"   | -          | -          | PROCEED      | -
            a differing If-None-Match wins over If-Modified-Since | - | "xyz"  | AT         | -          | PROCEED      | -
            If-Modified-Since at the change is not modified | -      | -       | AT         | -          | NOT_MODIFIED | If-Modified-Since
            If-Modified-Since before the change proceeds   | -       | -       | BEFORE     | -          | PROCEED      | -
            an unreadable date is ignored                  | -       | -       | yesterday  | -          | PROCEED      | -
            """)
    void evaluatesAsS3Does(String name, String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince, String expected,
            String decidedBy) {
        Preconditions conditions = new Preconditions(ifMatch, ifNoneMatch, date(ifModifiedSince), date(ifUnmodifiedSince));

        Preconditions.Outcome outcome = conditions.evaluate(OBJECT);
        assertThat(outcome).isEqualTo(Preconditions.Outcome.valueOf(expected));
        if (decidedBy != null) {
            assertThat(conditions.decidedBy(outcome)).isEqualTo(decidedBy);
        }
    }

    private static String date(String name) {
        return name == null ? null : switch (name) {
            case "BEFORE" -> BEFORE;
            case "AT" -> AT;
            default -> name;
        };
    }
}
