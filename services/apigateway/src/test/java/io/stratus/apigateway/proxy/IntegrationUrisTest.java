package io.stratus.apigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegrationUrisTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            arn:aws:lambda:us-east-1:000000000000:function:echo | arn:aws:lambda:us-east-1:000000000000:function:echo
            arn:aws:lambda:us-east-1:000000000000:function:echo:live | arn:aws:lambda:us-east-1:000000000000:function:echo:live
            arn:aws:lambda:us-east-1:000000000000:function:echo:$LATEST | arn:aws:lambda:us-east-1:000000000000:function:echo:$LATEST
            arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:echo/invocations | arn:aws:lambda:us-east-1:000000000000:function:echo
            arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:my-fn:7/invocations | arn:aws:lambda:eu-west-1:123456789012:function:my-fn:7
            arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/echo/invocations | -
            arn:aws:apigateway:us-east-1:s3:path/bucket/key | -
            http://example.com/items | -
            arn:aws:lambda:us-east-1:000000000000:function:bad name | -
            """)
    void namesTheFunction(String uri, String expected) {
        assertThat(IntegrationUris.functionArn(uri).orElse(null)).isEqualTo(expected);
    }
}
