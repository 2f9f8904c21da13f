package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.CodeSigningConfigStore.Stored;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpQuery;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's code signing configurations: Create/Get/Update/Delete/ListCodeSigningConfigs, attaching
 * one to a function (Put/Get/DeleteFunctionCodeSigningConfig, CreateFunction's
 * {@code CodeSigningConfigArn}), ListFunctionsByCodeSigningConfig, and the check of each new
 * deployment against the function's configuration. Stratus has no AWS Signer, so no code package
 * or layer carries a signature from an allowed publisher: a configuration whose policy is
 * {@code Enforce} refuses every new deployment ({@code CodeVerificationFailedException}), as
 * Lambda refuses unsigned code; {@code Warn} (the default) lets it through with a warning in
 * Stratus's log. Code a function ran before its configuration was attached keeps running, as on
 * AWS. Thread-safe.
 */
final class CodeSigningOperations {

    static final String WARN = "Warn";
    static final String ENFORCE = "Enforce";

    private static final Logger LOG = LoggerFactory.getLogger(CodeSigningOperations.class);
    private static final Pattern CONFIG_ARN = Pattern.compile(
            "arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:code-signing-config:csc-[a-z0-9]{17}");
    private static final Pattern PROFILE_VERSION_ARN = Pattern.compile("arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
    private static final int MAX_PUBLISHERS = 20;
    private static final int MAX_DESCRIPTION = 256;
    private static final int DEFAULT_MAX_ITEMS = 50;
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final char[] ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    record AllowedPublishers(List<String> signingProfileVersionArns) {}

    record CodeSigningPolicies(String untrustedArtifactOnDeployment) {}

    record CodeSigningConfig(AllowedPublishers allowedPublishers, String codeSigningConfigArn, String codeSigningConfigId,
            CodeSigningPolicies codeSigningPolicies, String description, String lastModified) {}

    record ConfigResponse(CodeSigningConfig codeSigningConfig) {}

    record CreateRequest(AllowedPublishers allowedPublishers, CodeSigningPolicies codeSigningPolicies, String description, Map<String, String> tags) {}

    record UpdateRequest(@HttpLabel("CodeSigningConfigArn") String codeSigningConfigArn, AllowedPublishers allowedPublishers,
            CodeSigningPolicies codeSigningPolicies, String description) {}

    record ConfigRequest(@HttpLabel("CodeSigningConfigArn") String codeSigningConfigArn) {}

    record ListConfigsRequest(@HttpQuery("Marker") String marker, @HttpQuery("MaxItems") Integer maxItems) {}

    record ListConfigsResponse(String nextMarker, List<CodeSigningConfig> codeSigningConfigs) {}

    record ListFunctionsRequest(@HttpLabel("CodeSigningConfigArn") String codeSigningConfigArn, @HttpQuery("Marker") String marker,
            @HttpQuery("MaxItems") Integer maxItems) {}

    record ListFunctionsResponse(String nextMarker, List<String> functionArns) {}

    record FunctionRequest(@HttpLabel("FunctionName") String functionName) {}

    record FunctionCodeSigningConfig(String codeSigningConfigArn, String functionName) {}

    record PutFunctionRequest(@HttpLabel("FunctionName") String functionName, String codeSigningConfigArn) {}

    /** A function's attached configuration, as its {@link Attachment#CODE_SIGNING} attachment keeps it. */
    record Attached(String codeSigningConfigArn) {}

    private final CodeSigningConfigStore configs;
    private final FunctionStore functions;
    private final VersionOperations.Lookup lookup;
    private final Clock clock;

    CodeSigningOperations(CodeSigningConfigStore configs, FunctionStore functions, VersionOperations.Lookup lookup, Clock clock) {
        this.configs = requireNonNull(configs, "configs is null");
        this.functions = requireNonNull(functions, "functions is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- configurations

    ConfigResponse create(RequestContext context, CreateRequest request) {
        Stored config = new Stored(context.accountId(), context.region(), newId(), description(request.description(), ""),
                publishers(request.allowedPublishers()), policy(request.codeSigningPolicies(), WARN), clock.millis(),
                TagOperations.validate(request.tags()));
        configs.create(config);
        return new ConfigResponse(view(config));
    }

    ConfigResponse get(RequestContext context, ConfigRequest request) {
        return new ConfigResponse(view(find(context, request.codeSigningConfigArn())));
    }

    ConfigResponse update(RequestContext context, UpdateRequest request) {
        Stored current = find(context, request.codeSigningConfigArn());
        String description = request.description() == null ? null : description(request.description(), "");
        List<String> publishers = request.allowedPublishers() == null ? null : publishers(request.allowedPublishers());
        String policy = request.codeSigningPolicies() == null ? null : policy(request.codeSigningPolicies(), WARN);
        Stored updated = configs.update(current.accountId(), current.region(), current.id(), c -> new Stored(c.accountId(), c.region(), c.id(),
                        description == null ? c.description() : description, publishers == null ? c.signingProfileVersionArns() : publishers,
                        policy == null ? c.untrustedArtifactOnDeployment() : policy, clock.millis(), c.tags()))
                .orElseThrow(() -> notFound(request.codeSigningConfigArn()));
        return new ConfigResponse(view(updated));
    }

    /** Deletes a configuration no function uses. */
    ControlModel.Empty delete(RequestContext context, ConfigRequest request) {
        Stored config = find(context, request.codeSigningConfigArn());
        if (!users(config).isEmpty()) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                    "The code signing configuration %s is used by one or more functions; remove it from them first.", config.arn());
        }
        if (!configs.delete(config.accountId(), config.region(), config.id())) {
            throw notFound(request.codeSigningConfigArn());
        }
        return new ControlModel.Empty();
    }

    ListConfigsResponse list(RequestContext context, ListConfigsRequest request) {
        int maxItems = maxItems(request.maxItems());
        List<Stored> page = configs.list(context.accountId(), context.region(), request.marker(), maxItems + 1);
        String nextMarker = page.size() > maxItems ? page.get(maxItems - 1).id() : null;
        return new ListConfigsResponse(nextMarker, page.stream().limit(maxItems).map(CodeSigningOperations::view).toList());
    }

    /** The ARNs of the functions that use a configuration, in name order. */
    ListFunctionsResponse listFunctions(RequestContext context, ListFunctionsRequest request) {
        Stored config = find(context, request.codeSigningConfigArn());
        int maxItems = maxItems(request.maxItems());
        List<String> arns = users(config).stream().filter(arn -> request.marker() == null || arn.compareTo(request.marker()) > 0).toList();
        String nextMarker = arns.size() > maxItems ? arns.get(maxItems - 1) : null;
        return new ListFunctionsResponse(nextMarker, arns.stream().limit(maxItems).toList());
    }

    /** A configuration's tags, for ListTags ({@code ResourceNotFoundException} when there is none). */
    Map<String, String> tags(RequestContext context, String arn) {
        return find(context, arn).tags();
    }

    /** Changes a configuration's tags, for TagResource and UntagResource. */
    void changeTags(RequestContext context, String arn, UnaryOperator<Map<String, String>> change) {
        Stored config = find(context, arn);
        configs.update(config.accountId(), config.region(), config.id(), c -> c.withTags(change.apply(c.tags())))
                .orElseThrow(() -> notFound(arn));
    }

    // ---- a function's configuration

    FunctionCodeSigningConfig getFunction(RequestContext context, FunctionRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        return new FunctionCodeSigningConfig(attached(latest).orElse(""), latest.name());
    }

    FunctionCodeSigningConfig putFunction(RequestContext context, PutFunctionRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        if (request.codeSigningConfigArn() == null) {
            throw FunctionRules.notNull("codeSigningConfigArn");
        }
        Stored config = forFunction(context.accountId(), context.region(), request.codeSigningConfigArn());
        attach(latest, config);
        return new FunctionCodeSigningConfig(config.arn(), latest.name());
    }

    /** Removing a function's configuration: none afterwards, whether it had one or not. */
    ControlModel.Empty deleteFunction(RequestContext context, FunctionRequest request) {
        FunctionRecord latest = latest(context, request.functionName());
        functions.changeAttachment(Attachment.CODE_SIGNING, latest.accountId(), latest.region(), latest.name(), "", Attached.class, current -> null);
        return new ControlModel.Empty();
    }

    /**
     * The configuration a new function names ({@code CreateFunction}'s {@code CodeSigningConfigArn}),
     * with its code checked against it; null when it names none.
     *
     * @throws AwsException {@code CodeSigningConfigNotFoundException}, or {@code CodeVerificationFailedException} under {@code Enforce}
     */
    Stored forNewFunction(String accountId, String region, String functionName, String arn) {
        if (arn == null) {
            return null;
        }
        Stored config = forFunction(accountId, region, arn);
        verify(config, functionName);
        return config;
    }

    /** Attaches a configuration to a function (a new one's, see {@link #forNewFunction}). */
    void attach(FunctionRecord function, Stored config) {
        functions.changeAttachment(Attachment.CODE_SIGNING, function.accountId(), function.region(), function.name(), "", Attached.class,
                current -> new Attached(config.arn()))
                .orElseThrow(() -> LambdaService.notFound(function.accountId(), function.region(), function.name()));
    }

    /**
     * Checks a new deployment to an existing function (its code, or layers added to it) against the
     * function's configuration, if it has one.
     *
     * @throws AwsException {@code CodeVerificationFailedException} under {@code Enforce}
     */
    void verifyDeployment(String accountId, String region, String functionName) {
        functions.attachment(Attachment.CODE_SIGNING, accountId, region, functionName, "", Attached.class)
                .flatMap(attached -> configs.get(accountId, region, idOf(attached.codeSigningConfigArn())))
                .ifPresent(config -> verify(config, functionName));
    }

    /** Nothing deployed here is signed by an allowed publisher: {@code Enforce} refuses it, {@code Warn} lets it through. */
    private static void verify(Stored config, String functionName) {
        if (config.enforced()) {
            throw AwsException.of(LambdaErrors.CODE_VERIFICATION_FAILED, "The code signature failed one or more of the validation checks for "
                    + "signature mismatch or expiry, and the code signing policy is set to ENFORCE. Lambda blocks the deployment.");
        }
        LOG.warn("Function {} was deployed with code that no allowed publisher of {} signed (its policy is Warn)", functionName, config.arn());
    }

    private java.util.Optional<String> attached(FunctionRecord function) {
        return functions.attachment(Attachment.CODE_SIGNING, function.accountId(), function.region(), function.name(), "", Attached.class)
                .map(Attached::codeSigningConfigArn);
    }

    /** The ARNs of the functions whose attachment names the configuration, in order. */
    private List<String> users(Stored config) {
        return functions.attachments(Attachment.CODE_SIGNING, config.accountId(), Attached.class).entrySet().stream()
                .filter(entry -> entry.getValue().codeSigningConfigArn().equals(config.arn()))
                .map(entry -> entry.getKey().split("/"))
                .map(parts -> FunctionRecord.arn(config.accountId(), parts[0], parts[1]))
                .sorted()
                .toList();
    }

    private FunctionRecord latest(RequestContext context, String functionName) {
        return lookup.latest(context.accountId(), context.region(), FunctionRules.reference(functionName, null));
    }

    // ---- checks and shapes

    /** A configuration by ARN, for the configuration operations: {@code ResourceNotFoundException} when there is none. */
    private Stored find(RequestContext context, String arn) {
        checkArn(arn);
        return configs.get(context.accountId(), context.region(), idOf(arn))
                .filter(config -> config.arn().equals(arn))
                .orElseThrow(() -> notFound(arn));
    }

    /** A configuration named for a function: {@code CodeSigningConfigNotFoundException} when there is none. */
    private Stored forFunction(String accountId, String region, String arn) {
        checkArn(arn);
        return configs.get(accountId, region, idOf(arn))
                .filter(config -> config.arn().equals(arn))
                .orElseThrow(() -> AwsException.of(LambdaErrors.CODE_SIGNING_CONFIG_NOT_FOUND,
                        "The code signing configuration cannot be found. Check that the provided configuration is not deleted: %s.", arn));
    }

    private static void checkArn(String arn) {
        if (arn == null || arn.length() > 200 || !CONFIG_ARN.matcher(arn).matches()) {
            throw FunctionRules.invalid(arn, "codeSigningConfigArn", "Member must satisfy regular expression pattern: " + CONFIG_ARN.pattern());
        }
    }

    private static String idOf(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static AwsException notFound(String arn) {
        return AwsException.of(LambdaErrors.RESOURCE_NOT_FOUND,
                "The code signing configuration cannot be found. Check that the provided configuration is not deleted: %s.", arn);
    }

    private static List<String> publishers(AllowedPublishers publishers) {
        if (publishers == null) {
            throw FunctionRules.notNull("allowedPublishers");
        }
        List<String> arns = publishers.signingProfileVersionArns();
        if (arns == null) {
            throw FunctionRules.notNull("allowedPublishers.signingProfileVersionArns");
        }
        if (arns.isEmpty() || arns.size() > MAX_PUBLISHERS) {
            throw FunctionRules.invalid(arns.toString(), "allowedPublishers.signingProfileVersionArns",
                    "Member must have length " + (arns.isEmpty() ? "greater than or equal to 1" : "less than or equal to " + MAX_PUBLISHERS));
        }
        for (String arn : arns) {
            if (arn == null || !PROFILE_VERSION_ARN.matcher(arn).matches()) {
                throw FunctionRules.invalid(arn, "allowedPublishers.signingProfileVersionArns",
                        "Member must satisfy regular expression pattern: " + PROFILE_VERSION_ARN.pattern());
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(arns));
    }

    private static String policy(CodeSigningPolicies policies, String fallback) {
        String value = policies == null ? null : policies.untrustedArtifactOnDeployment();
        if (value == null) {
            return fallback;
        }
        if (!value.equals(WARN) && !value.equals(ENFORCE)) {
            throw FunctionRules.invalid(value, "codeSigningPolicies.untrustedArtifactOnDeployment", "Member must satisfy enum value set: [Enforce, Warn]");
        }
        return value;
    }

    private static String description(String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.length() > MAX_DESCRIPTION) {
            throw FunctionRules.invalid(value, "description", "Member must have length less than or equal to " + MAX_DESCRIPTION);
        }
        return value;
    }

    private static int maxItems(Integer value) {
        if (value == null) {
            return DEFAULT_MAX_ITEMS;
        }
        if (value < 1 || value > 10_000) {
            throw FunctionRules.invalid(value.toString(), "maxItems",
                    "Member must have value " + (value < 1 ? "greater than or equal to 1" : "less than or equal to 10000"));
        }
        return value;
    }

    private static String newId() {
        StringBuilder id = new StringBuilder("csc-");
        for (int i = 0; i < 17; i++) {
            id.append(ID_CHARACTERS[RANDOM.nextInt(ID_CHARACTERS.length)]);
        }
        return id.toString();
    }

    private static CodeSigningConfig view(Stored config) {
        return new CodeSigningConfig(new AllowedPublishers(config.signingProfileVersionArns()), config.arn(), config.id(),
                new CodeSigningPolicies(config.untrustedArtifactOnDeployment()), config.description(),
                LAST_MODIFIED.format(Instant.ofEpochMilli(config.lastModified())));
    }
}
