package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.QueryString;
import io.stratus.protocol.UriTemplate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriTemplateTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            /2015-03-31/functions/{FunctionName}            | /2015-03-31/functions/my-fn                | FunctionName=my-fn
            /2015-03-31/functions/{FunctionName}            | /2015-03-31/functions/my-fn/               | FunctionName=my-fn
            /2015-03-31/functions/{FunctionName}            | /2015-03-31/functions                      | none
            /2015-03-31/functions/{FunctionName}            | /2015-03-31/functions/a/b                  | none
            /2015-03-31/functions/{FunctionName}/invocations | /2015-03-31/functions/arn%3Aaws%3Afn/invocations | FunctionName=arn:aws:fn
            /{Bucket}/{Key+}                                | /b/a/b/c.txt                               | Bucket=b,Key=a/b/c.txt
            /{Bucket}/{Key+}                                | /b/                                        | none
            /{Bucket}/{Key+}                                | /b/dir%2Ffile+1                            | Bucket=b,Key=dir/file+1
            /{Bucket}?tagging                               | /b?tagging                                 | Bucket=b
            /{Bucket}?tagging                               | /b                                         | none
            /{Bucket}?list-type=2                           | /b?list-type=2                             | Bucket=b
            /{Bucket}?list-type=2                           | /b?list-type=1                             | none
            /                                               | /                                          | ''
            """)
    void matches(String pattern, String request, String expected) {
        int q = request.indexOf('?');
        String path = q < 0 ? request : request.substring(0, q);
        QueryString query = QueryString.parse(q < 0 ? "" : request.substring(q + 1));

        Optional<Map<String, String>> labels = UriTemplate.parse(pattern).match(path, query);

        if (expected == null) {
            assertThat(labels).isEmpty();
        } else {
            assertThat(labels).isPresent();
            String actual = String.join(",", labels.get().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            assertThat(actual).isEqualTo(expected);
        }
    }
}
