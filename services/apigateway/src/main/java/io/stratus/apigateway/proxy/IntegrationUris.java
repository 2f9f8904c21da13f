package io.stratus.apigateway.proxy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda function an integration URI names. API Gateway accepts the function's ARN itself
 * (HTTP APIs) and the service-path form
 * {@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function-arn>/invocations}
 * (both kinds of API); the function ARN may carry a version or alias, or a stage variable
 * ({@code ${stageVariables.alias}}) that is resolved before this is asked.
 */
public final class IntegrationUris {

    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?");
    private static final Pattern SERVICE_PATH = Pattern.compile(
            "arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(?<function>[^/]+)/invocations");

    private IntegrationUris() {}

    /** The function ARN {@code uri} names, or empty when it names no Lambda function. */
    public static Optional<String> functionArn(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        if (FUNCTION_ARN.matcher(uri).matches()) {
            return Optional.of(uri);
        }
        Matcher servicePath = SERVICE_PATH.matcher(uri);
        if (servicePath.matches() && FUNCTION_ARN.matcher(servicePath.group("function")).matches()) {
            return Optional.of(servicePath.group("function"));
        }
        return Optional.empty();
    }
}
