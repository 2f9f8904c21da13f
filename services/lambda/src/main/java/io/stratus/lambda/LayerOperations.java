package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.FunctionRecord.FunctionLayer;
import io.stratus.lambda.LayerModel.AddLayerVersionPermissionRequest;
import io.stratus.lambda.LayerModel.AddLayerVersionPermissionResponse;
import io.stratus.lambda.LayerModel.GetLayerVersionByArnRequest;
import io.stratus.lambda.LayerModel.GetLayerVersionPolicyResponse;
import io.stratus.lambda.LayerModel.LayerVersionRequest;
import io.stratus.lambda.LayerModel.LayerVersionResponse;
import io.stratus.lambda.LayerModel.LayersListItem;
import io.stratus.lambda.LayerModel.ListLayerVersionsRequest;
import io.stratus.lambda.LayerModel.ListLayerVersionsResponse;
import io.stratus.lambda.LayerModel.ListLayersRequest;
import io.stratus.lambda.LayerModel.ListLayersResponse;
import io.stratus.lambda.LayerModel.PublishLayerVersionRequest;
import io.stratus.lambda.LayerModel.RemoveLayerVersionPermissionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layer operations (PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers,
 * ListLayerVersions, DeleteLayerVersion, and the layer version permissions), and the checks of a
 * function's {@code Layers}. Layer version policies are stored and returned, not enforced (as
 * functions' own). Thread-safe.
 */
final class LayerOperations {

    /** AWS's limit on the layers of one function. */
    static final int MAX_LAYERS = 5;

    private static final String LAYER_NAME_PATTERN = "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
    private static final Pattern LAYER_NAME = Pattern.compile(LAYER_NAME_PATTERN);
    private static final String LAYER_VERSION_ARN_PATTERN =
            "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)";
    private static final Pattern LAYER_VERSION_ARN = Pattern.compile(
            "arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)|arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+");
    private static final Pattern STATEMENT_ID = Pattern.compile("([a-zA-Z0-9-_]+)");
    private static final Pattern PRINCIPAL = Pattern.compile("\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root");
    private static final Pattern ORGANIZATION_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Set<String> ARCHITECTURES = Set.of("x86_64", "arm64");
    /** Runtimes AWS has retired: layers published for them may still name them. */
    private static final Set<String> RETIRED_RUNTIMES = Set.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
            "nodejs14.x", "nodejs16.x", "nodejs4.3-edge", "java8", "python2.7", "python3.6", "python3.7", "python3.8", "dotnetcore1.0",
            "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet7", "ruby2.5", "ruby2.7", "go1.x");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A layer named in a request: by name, or by its ARN (whose account and region may differ from the caller's). */
    private record LayerName(String accountId, String region, String name) {}

    /** Reads the zip of a layer's {@code Content} (inline or from S3). */
    interface ContentReader {
        byte[] read(RequestContext context, LayerModel.LayerContent content);
    }

    private final LayerStore layers;
    private final Clock clock;
    private final ContentReader content;
    private final Supplier<List<FunctionRecord>> allFunctions;
    private final CodeLocations locations;

    /**
     * @param allFunctions every function record, for {@link LayerStore#sweep} after a version is deleted
     * @param locations where the answers' {@code Content.Location} points
     */
    LayerOperations(LayerStore layers, Clock clock, ContentReader content, Supplier<List<FunctionRecord>> allFunctions, CodeLocations locations) {
        this.layers = requireNonNull(layers, "layers is null");
        this.locations = requireNonNull(locations, "locations is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.content = requireNonNull(content, "content is null");
        this.allFunctions = requireNonNull(allFunctions, "allFunctions is null");
    }

    LayerVersionResponse publish(RequestContext context, PublishLayerVersionRequest request) {
        LayerName layer = layerName(context, request.layerName());
        if (!layer.accountId().equals(context.accountId()) || !layer.region().equals(context.region())) {
            throw AwsException.of(LambdaErrors.ACCESS_DENIED, "User: arn:aws:iam::%s:root is not authorized to perform: lambda:PublishLayerVersion on resource: %s",
                    context.accountId(), LayerVersion.layerArn(layer.accountId(), layer.region(), layer.name()));
        }
        if (request.content() == null) {
            throw FunctionRules.notNull("content");
        }
        String description = FunctionRules.description(request.description(), "");
        List<String> runtimes = compatibleRuntimes(request.compatibleRuntimes());
        List<String> architectures = compatibleArchitectures(request.compatibleArchitectures());
        if (request.licenseInfo() != null && request.licenseInfo().length() > 512) {
            throw invalid(request.licenseInfo(), "licenseInfo", "Member must have length less than or equal to 512");
        }
        byte[] zip = content.read(context, request.content());
        long unzipped = CodeStore.validate(zip);
        String sha256 = CodeStore.sha256(zip);
        LayerVersion published = layers.publish(context.accountId(), context.region(), layer.name(), sha256, zip,
                number -> new LayerVersion(context.accountId(), context.region(), layer.name(), number, description, clock.instant(), runtimes,
                        architectures, request.licenseInfo(), sha256, zip.length, unzipped));
        return response(published);
    }

    LayerVersionResponse get(RequestContext context, LayerVersionRequest request) {
        LayerName layer = layerName(context, request.layerName());
        return response(readable(context, layer, versionNumber(request.versionNumber())));
    }

    LayerVersionResponse getByArn(RequestContext context, GetLayerVersionByArnRequest request) {
        if (request.arn() == null) {
            throw FunctionRules.notNull("arn");
        }
        Matcher matcher = LAYER_VERSION_ARN.matcher(request.arn());
        if (request.arn().length() > 140 || !matcher.matches() || matcher.group(1) == null) {
            throw pattern(request.arn(), "arn", LAYER_VERSION_ARN_PATTERN);
        }
        return response(readable(context, new LayerName(matcher.group(2), matcher.group(1), matcher.group(3)), Long.parseLong(matcher.group(4))));
    }

    /** A version as the operations answer it, with a fresh URL to download its zip. */
    private LayerVersionResponse response(LayerVersion version) {
        return version.response(locations.url(layers.zip(version)));
    }

    ListLayersResponse list(RequestContext context, ListLayersRequest request) {
        int maxItems = maxItems(request.maxItems());
        String runtime = runtimeFilter(request.compatibleRuntime());
        String architecture = architectureFilter(request.compatibleArchitecture());
        // Each layer with its latest version that suits the filters; layers with none are left out.
        Map<String, LayerVersion> latest = new LinkedHashMap<>();
        for (LayerVersion version : layers.all(context.accountId(), context.region())) {
            if (version.matches(runtime, architecture) && (request.marker() == null || version.layerName().compareTo(request.marker()) > 0)) {
                latest.put(version.layerName(), version);
            }
        }
        List<LayersListItem> items = latest.values().stream().limit(maxItems)
                .map(v -> new LayersListItem(v.layerName(), v.layerArn(), v.listItem())).toList();
        String nextMarker = latest.size() > maxItems ? items.getLast().layerName() : null;
        return new ListLayersResponse(nextMarker, items);
    }

    ListLayerVersionsResponse listVersions(RequestContext context, ListLayerVersionsRequest request) {
        LayerName layer = owned(context, layerName(context, request.layerName()), "ListLayerVersions");
        int maxItems = maxItems(request.maxItems());
        String runtime = runtimeFilter(request.compatibleRuntime());
        String architecture = architectureFilter(request.compatibleArchitecture());
        long before = Long.MAX_VALUE;
        if (request.marker() != null) {
            try {
                before = Long.parseLong(request.marker());
            } catch (NumberFormatException e) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Invalid marker: %s", request.marker());
            }
        }
        long after = before;
        // Newest first, as AWS lists them.
        List<LayerVersion> matching = layers.versions(layer.accountId(), layer.region(), layer.name()).stream()
                .filter(v -> v.version() < after && v.matches(runtime, architecture))
                .sorted(Comparator.comparingLong(LayerVersion::version).reversed()).toList();
        List<LayerVersion> page = matching.stream().limit(maxItems).toList();
        String nextMarker = matching.size() > maxItems ? Long.toString(page.getLast().version()) : null;
        return new ListLayerVersionsResponse(nextMarker, page.stream().map(LayerVersion::listItem).toList());
    }

    Empty delete(RequestContext context, LayerVersionRequest request) {
        LayerName layer = owned(context, layerName(context, request.layerName()), "DeleteLayerVersion");
        long version = versionNumber(request.versionNumber());
        // Idempotent, as on AWS: deleting a version that is not there succeeds.
        if (layers.delete(layer.accountId(), layer.region(), layer.name(), version).isPresent()) {
            // Its zip stays while a function still runs with it.
            layers.sweep(allFunctions.get());
        }
        return new Empty();
    }

    AddLayerVersionPermissionResponse addPermission(RequestContext context, AddLayerVersionPermissionRequest request) {
        LayerName layer = owned(context, layerName(context, request.layerName()), "AddLayerVersionPermission");
        long version = versionNumber(request.versionNumber());
        String sid = required(request.statementId(), "statementId", 100);
        if (!STATEMENT_ID.matcher(sid).matches()) {
            throw pattern(sid, "statementId", "([a-zA-Z0-9-_]+)");
        }
        String action = required(request.action(), "action", 22);
        if (!action.equals("lambda:GetLayerVersion")) {
            throw pattern(action, "action", "lambda:GetLayerVersion");
        }
        String principal = required(request.principal(), "principal", Integer.MAX_VALUE);
        if (!PRINCIPAL.matcher(principal).matches()) {
            throw pattern(principal, "principal", "\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root");
        }
        if (request.organizationId() != null && !ORGANIZATION_ID.matcher(request.organizationId()).matches()) {
            throw pattern(request.organizationId(), "organizationId", "o-[a-z0-9]{10,32}");
        }
        LayerVersion found = find(layer, version);
        String statement = statement(sid, action, principal, request.organizationId(), found.versionArn());
        LayerStore.Policy policy = layers.changePolicy(layer.accountId(), layer.region(), layer.name(), version, current -> {
            checkRevision(current, request.revisionId());
            List<String> statements = new ArrayList<>(current == null ? List.of() : current.statements());
            if (statements.stream().anyMatch(s -> sid.equals(read(s).path("Sid").asText()))) {
                throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT,
                        "The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", sid);
            }
            statements.add(statement);
            return new LayerStore.Policy(UUID.randomUUID().toString(), statements);
        }).orElseThrow(LayerOperations::notFound).orElseThrow();
        return new AddLayerVersionPermissionResponse(statement, policy.revisionId());
    }

    Empty removePermission(RequestContext context, RemoveLayerVersionPermissionRequest request) {
        LayerName layer = owned(context, layerName(context, request.layerName()), "RemoveLayerVersionPermission");
        long version = versionNumber(request.versionNumber());
        String sid = required(request.statementId(), "statementId", 100);
        find(layer, version);
        layers.changePolicy(layer.accountId(), layer.region(), layer.name(), version, current -> {
            checkRevision(current, request.revisionId());
            List<String> statements = new ArrayList<>(current == null ? List.of() : current.statements());
            if (!statements.removeIf(s -> sid.equals(read(s).path("Sid").asText()))) {
                throw new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "Statement " + sid + " is not found in resource policy.",
                        Map.of("Type", "User"), null);
            }
            return statements.isEmpty() ? null : new LayerStore.Policy(UUID.randomUUID().toString(), statements);
        }).orElseThrow(LayerOperations::notFound);
        return new Empty();
    }

    GetLayerVersionPolicyResponse getPolicy(RequestContext context, LayerVersionRequest request) {
        LayerName layer = owned(context, layerName(context, request.layerName()), "GetLayerVersionPolicy");
        long version = versionNumber(request.versionNumber());
        find(layer, version);
        LayerStore.Policy policy = layers.policy(layer.accountId(), layer.region(), layer.name(), version)
                .orElseThrow(() -> new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "No policy is associated with the given resource.",
                        Map.of("Type", "User"), null));
        ObjectNode document = JSON.createObjectNode();
        document.put("Version", "2012-10-17");
        document.put("Id", "default");
        var statements = document.putArray("Statement");
        policy.statements().forEach(s -> statements.add(read(s)));
        return new GetLayerVersionPolicyResponse(document.toString(), policy.revisionId());
    }

    /**
     * The layer versions a function's {@code Layers} name, in order, checked as AWS checks them:
     * the ARN pattern, at most {@link #MAX_LAYERS}, one version per layer, each existing in the
     * function's region.
     *
     * Another account's layer version needs its policy's allow ({@code AccessDeniedException} else).
     *
     * @param context the call that deploys the function (its account and region are the function's)
     */
    List<FunctionLayer> resolve(RequestContext context, List<String> arns) {
        String region = context.region();
        if (arns == null || arns.isEmpty()) {
            return List.of();
        }
        for (String arn : arns) {
            if (arn == null || arn.isEmpty() || arn.length() > 140 || !LAYER_VERSION_ARN.matcher(arn).matches()) {
                throw AwsException.of(LambdaErrors.VALIDATION,
                        "1 validation error detected: Value '%s' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: %s]",
                        arns, LAYER_VERSION_ARN_PATTERN);
            }
        }
        if (arns.size() > MAX_LAYERS) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Cannot reference more than %d layers.", MAX_LAYERS);
        }
        Map<String, String> byLayer = new LinkedHashMap<>();
        for (String arn : arns) {
            String layerArn = arn.substring(0, arn.lastIndexOf(':'));
            String other = byLayer.putIfAbsent(layerArn, arn);
            if (other != null) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                        "Two different versions of the same layer are not allowed to be referenced in the same function. %s and %s are versions of the same layer.",
                        other, arn);
            }
        }
        List<FunctionLayer> resolved = new ArrayList<>();
        for (String arn : arns) {
            Matcher matcher = LAYER_VERSION_ARN.matcher(arn);
            matcher.matches();
            if (matcher.group(1) != null && !matcher.group(1).equals(region)) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                        "Layers are not in the same region as the function. Layers are expected to be in region %s.", region);
            }
            LayerVersion version = matcher.group(1) == null ? null
                    : layers.get(matcher.group(2), matcher.group(1), matcher.group(3), Long.parseLong(matcher.group(4))).orElse(null);
            if (!matcher.group(2).equals(context.accountId()) && (version == null || !allowsUse(version, context.accountId()))) {
                throw notAuthorized(context, "GetLayerVersion", arn);
            }
            if (version == null) {
                throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Layer version %s does not exist.", arn);
            }
            resolved.add(version.asFunctionLayer());
        }
        return List.copyOf(resolved);
    }

    /**
     * Checks that a function's code and its layers unzip to no more than AWS allows together.
     *
     * @param codeUnzipped what the function's own zip unzips to
     */
    static void checkTotalSize(long codeUnzipped, List<FunctionLayer> functionLayers) {
        long total = codeUnzipped + functionLayers.stream().mapToLong(FunctionLayer::unzippedSize).sum();
        if (!functionLayers.isEmpty() && total > CodeStore.MAX_UNZIPPED_BYTES) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                    "Function code combined with layers exceeds the maximum allowed size of %d bytes. The actual size is %d bytes.",
                    CodeStore.MAX_UNZIPPED_BYTES, total);
        }
    }

    /**
     * A layer version the caller may read: its own account's, or another's whose policy allows
     * the caller's account {@code lambda:GetLayerVersion} (a statement for {@code *} or for the
     * account, without an organization condition: Stratus has no organizations, so no account is
     * in one). Another account's version that does not exist is refused as one that is not shared.
     */
    private LayerVersion readable(RequestContext context, LayerName layer, long version) {
        if (layer.accountId().equals(context.accountId())) {
            return find(layer, version);
        }
        return layers.get(layer.accountId(), layer.region(), layer.name(), version)
                .filter(found -> allowsUse(found, context.accountId()))
                .orElseThrow(() -> notAuthorized(context, "GetLayerVersion",
                        LayerVersion.layerArn(layer.accountId(), layer.region(), layer.name()) + ":" + version));
    }

    /** Whether the version's policy lets another account use it. */
    private boolean allowsUse(LayerVersion version, String accountId) {
        return layers.policy(version.accountId(), version.region(), version.layerName(), version.version())
                .map(policy -> policy.statements().stream().map(LayerOperations::read).anyMatch(statement -> !statement.has("Condition")
                        && (statement.path("Principal").asText().equals("*")
                                || statement.path("Principal").path("AWS").asText().equals("arn:aws:iam::" + accountId + ":root"))))
                .orElse(false);
    }

    /** A layer of the caller's own account: what only its owner may do to it ({@code AccessDeniedException} else). */
    private static LayerName owned(RequestContext context, LayerName layer, String action) {
        if (!layer.accountId().equals(context.accountId())) {
            throw notAuthorized(context, action, LayerVersion.layerArn(layer.accountId(), layer.region(), layer.name()));
        }
        return layer;
    }

    private static AwsException notAuthorized(RequestContext context, String action, String resource) {
        String caller = context.principal() == null ? "arn:aws:iam::" + context.accountId() + ":root" : context.principal().arn();
        return AwsException.of(LambdaErrors.ACCESS_DENIED,
                "User: %s is not authorized to perform: lambda:%s on resource: %s because no resource-based policy allows the lambda:%s action",
                caller, action, resource, action);
    }

    private LayerVersion find(LayerName layer, long version) {
        return layers.get(layer.accountId(), layer.region(), layer.name(), version).orElseThrow(LayerOperations::notFound);
    }

    private static AwsException notFound() {
        return new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "The resource you requested does not exist.", Map.of("Type", "User"), null);
    }

    private static LayerName layerName(RequestContext context, String layerName) {
        if (layerName == null) {
            throw FunctionRules.notNull("layerName");
        }
        if (layerName.length() > 140) {
            throw invalid(layerName, "layerName", "Member must have length less than or equal to 140");
        }
        if (!LAYER_NAME.matcher(layerName).matches()) {
            throw pattern(layerName, "layerName", LAYER_NAME_PATTERN);
        }
        if (layerName.startsWith("arn:")) {
            String[] parts = layerName.split(":");
            return new LayerName(parts[4], parts[3], parts[6]);
        }
        if (layerName.length() > 64) {
            throw invalid(layerName, "layerName", "Member must have length less than or equal to 64");
        }
        return new LayerName(context.accountId(), context.region(), layerName);
    }

    private static long versionNumber(String versionNumber) {
        try {
            return Long.parseLong(versionNumber);
        } catch (NumberFormatException | NullPointerException e) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'versionNumber' failed to satisfy constraint: Member must be a number", versionNumber);
        }
    }

    private static List<String> compatibleRuntimes(List<String> runtimes) {
        if (runtimes == null) {
            return List.of();
        }
        if (runtimes.size() > 15) {
            throw invalid(runtimes.toString(), "compatibleRuntimes", "Member must have length less than or equal to 15");
        }
        Set<String> known = knownRuntimes();
        for (String runtime : runtimes) {
            if (!known.contains(runtime)) {
                throw invalid(runtimes.toString(), "compatibleRuntimes", "Member must satisfy constraint: [Member must satisfy enum value set: " + known + "]");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(runtimes));
    }

    private static List<String> compatibleArchitectures(List<String> architectures) {
        if (architectures == null) {
            return List.of();
        }
        if (architectures.size() > 2) {
            throw invalid(architectures.toString(), "compatibleArchitectures", "Member must have length less than or equal to 2");
        }
        for (String architecture : architectures) {
            if (!ARCHITECTURES.contains(architecture)) {
                throw invalid(architectures.toString(), "compatibleArchitectures",
                        "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(architectures));
    }

    private static String runtimeFilter(String runtime) {
        if (runtime != null && !knownRuntimes().contains(runtime)) {
            throw invalid(runtime, "compatibleRuntime", "Member must satisfy enum value set: " + knownRuntimes());
        }
        return runtime;
    }

    private static String architectureFilter(String architecture) {
        if (architecture != null && !ARCHITECTURES.contains(architecture)) {
            throw invalid(architecture, "compatibleArchitecture", "Member must satisfy enum value set: [x86_64, arm64]");
        }
        return architecture;
    }

    private static Set<String> knownRuntimes() {
        Set<String> all = new TreeSet<>(FunctionRuntime.knownIds());
        all.addAll(RETIRED_RUNTIMES);
        return all;
    }

    private static int maxItems(Integer maxItems) {
        int value = maxItems == null ? 50 : maxItems;
        if (value < 1 || value > 50) {
            throw invalid(Integer.toString(value), "maxItems",
                    value < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 50");
        }
        return value;
    }

    private static void checkRevision(LayerStore.Policy policy, String revisionId) {
        if (revisionId != null && (policy == null || !revisionId.equals(policy.revisionId()))) {
            throw AwsException.of(LambdaErrors.PRECONDITION_FAILED,
                    "The Revision Id provided does not match the latest Revision Id. Call the GetLayerVersionPolicy API to retrieve the latest Revision Id");
        }
    }

    private static String statement(String sid, String action, String principal, String organizationId, String resource) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        if (principal.equals("*")) {
            statement.put("Principal", "*");
        } else {
            statement.putObject("Principal").put("AWS", principal.startsWith("arn:") ? principal : "arn:aws:iam::" + principal + ":root");
        }
        statement.put("Action", action);
        statement.put("Resource", resource);
        if (organizationId != null) {
            statement.putObject("Condition").putObject("StringEquals").put("aws:PrincipalOrgID", organizationId);
        }
        return statement.toString();
    }

    private static ObjectNode read(String statement) {
        try {
            return (ObjectNode) JSON.readTree(statement);
        } catch (IOException e) {
            throw new UncheckedIOException("A stored policy statement is not JSON", e);
        }
    }

    private static String required(String value, String member, int maxLength) {
        if (value == null) {
            throw FunctionRules.notNull(member);
        }
        if (value.length() > maxLength) {
            throw invalid(value, member, "Member must have length less than or equal to " + maxLength);
        }
        return value;
    }

    private static AwsException pattern(String value, String member, String pattern) {
        return invalid(value, member, "Member must satisfy regular expression pattern: " + pattern);
    }

    private static AwsException invalid(String value, String member, String constraint) {
        return AwsException.of(LambdaErrors.VALIDATION,
                "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }
}
