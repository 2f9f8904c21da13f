package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.util.Set;

/**
 * GetRuntimeManagementConfig and PutRuntimeManagementConfig. A function runs on the machine's own
 * interpreter (see docs/lambda.md), which changes when the machine's does: that is AWS's
 * {@code Auto} mode, the only one Stratus has. Pinning a runtime version ({@code Manual}) or
 * updating only with the function ({@code FunctionUpdate}) is not supported. Stateless.
 */
final class RuntimeManagementOperations {

    private static final String AUTO = "Auto";
    private static final Set<String> MODES = Set.of(AUTO, "FunctionUpdate", "Manual");

    record ConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier) {}

    record PutConfigRequest(@HttpLabel("FunctionName") String functionName, @HttpQuery("Qualifier") String qualifier, String updateRuntimeOn,
            String runtimeVersionArn) {}

    record RuntimeManagementConfig(String updateRuntimeOn, String runtimeVersionArn, String functionArn) {}

    private final VersionOperations versions;
    private final VersionOperations.Lookup lookup;

    RuntimeManagementOperations(VersionOperations versions, VersionOperations.Lookup lookup) {
        this.versions = requireNonNull(versions, "versions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    RuntimeManagementConfig get(RequestContext context, ConfigRequest request) {
        return new RuntimeManagementConfig(AUTO, null, functionArn(context, request.functionName(), request.qualifier()));
    }

    /** Takes {@code Auto}, which every function has; the other modes are refused. */
    RuntimeManagementConfig put(RequestContext context, PutConfigRequest request) {
        String functionArn = functionArn(context, request.functionName(), request.qualifier());
        String mode = request.updateRuntimeOn();
        if (mode == null) {
            throw FunctionRules.notNull("updateRuntimeOn");
        }
        if (!MODES.contains(mode)) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%s' at 'updateRuntimeOn' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [Auto, Manual, FunctionUpdate]", mode);
        }
        if (!mode.equals(AUTO) || request.runtimeVersionArn() != null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "UpdateRuntimeOn %s is not supported by Stratus yet: functions run on the "
                    + "machine's own interpreter, whose version follows the machine (Auto).", mode);
        }
        return new RuntimeManagementConfig(AUTO, null, functionArn);
    }

    /** The ARN of the function, or of what a qualifier names (which must exist). */
    private String functionArn(RequestContext context, String functionName, String qualifier) {
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), FunctionRules.reference(functionName, null));
        if (qualifier == null) {
            return latest.arn();
        }
        versions.qualified(latest, qualifier, false);
        return latest.arn() + ":" + qualifier;
    }
}
