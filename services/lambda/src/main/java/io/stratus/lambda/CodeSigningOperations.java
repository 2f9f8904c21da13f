package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.List;

/**
 * What Lambda's code signing answers while Stratus has no code signing configurations (creating one
 * is not supported yet, see docs/lambda.md): no function has one — GetFunctionCodeSigningConfig says
 * so as AWS does, with an empty ARN, which infrastructure tools read for every function — and any
 * configuration ARN names nothing ({@code CodeSigningConfigNotFoundException}). Stateless.
 */
final class CodeSigningOperations {

    record FunctionRequest(@HttpLabel("FunctionName") String functionName) {}

    record FunctionCodeSigningConfig(String codeSigningConfigArn, String functionName) {}

    record PutFunctionRequest(@HttpLabel("FunctionName") String functionName, String codeSigningConfigArn) {}

    record ConfigRequest(@HttpLabel("CodeSigningConfigArn") String codeSigningConfigArn) {}

    record ListConfigsRequest(@HttpQuery("Marker") String marker, @HttpQuery("MaxItems") Integer maxItems) {}

    record ListConfigsResponse(String nextMarker, List<Object> codeSigningConfigs) {}

    private final VersionOperations.Lookup lookup;

    CodeSigningOperations(VersionOperations.Lookup lookup) {
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    /** The function's code signing configuration: none, as an empty ARN. */
    FunctionCodeSigningConfig getFunction(RequestContext context, FunctionRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        return new FunctionCodeSigningConfig("", latest.name());
    }

    /** Attaching a configuration: there is none to attach. */
    FunctionCodeSigningConfig putFunction(RequestContext context, PutFunctionRequest request) {
        latest(context, request.functionName());
        if (request.codeSigningConfigArn() == null) {
            throw FunctionRules.notNull("codeSigningConfigArn");
        }
        throw notFound(request.codeSigningConfigArn());
    }

    /** Removing a function's configuration: it has none, which is what it asks for. */
    ControlModel.Empty deleteFunction(RequestContext context, FunctionRequest request) {
        latest(context, request.functionName());
        return new ControlModel.Empty();
    }

    Object getConfig(RequestContext context, ConfigRequest request) {
        throw notFound(request.codeSigningConfigArn());
    }

    Object listFunctions(RequestContext context, ConfigRequest request) {
        throw notFound(request.codeSigningConfigArn());
    }

    ListConfigsResponse listConfigs(RequestContext context, ListConfigsRequest request) {
        if (request.maxItems() != null && (request.maxItems() < 1 || request.maxItems() > 10_000)) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: "
                    + "Member must have value %s", request.maxItems(), request.maxItems() < 1 ? "greater than or equal to 1" : "less than or equal to 10000");
        }
        return new ListConfigsResponse(null, List.of());
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        return lookup.latest(context.accountId(), context.region(), FunctionRules.reference(functionName, null));
    }

    private static AwsException notFound(String arn) {
        return AwsException.of(LambdaErrors.CODE_SIGNING_CONFIG_NOT_FOUND,
                "The code signing configuration cannot be found. Check that the provided configuration is not deleted: %s.", arn);
    }
}
