package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.PeriodicTask;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.core.spi.FunctionInvoker;
import io.stratus.core.spi.Logs;
import io.stratus.core.spi.ObjectSource;
import io.stratus.core.spi.Queues;
import io.stratus.core.spi.RoleSessions;
import io.stratus.core.spi.Targets;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.LambdaModel.CreateFunctionRequest;
import io.stratus.lambda.LambdaModel.DeleteFunctionRequest;
import io.stratus.lambda.LambdaModel.DeleteFunctionResponse;
import io.stratus.lambda.LambdaModel.FunctionCode;
import io.stratus.lambda.LambdaModel.FunctionConfiguration;
import io.stratus.lambda.LambdaModel.GetFunctionConfigurationRequest;
import io.stratus.lambda.LambdaModel.GetFunctionRequest;
import io.stratus.lambda.LambdaModel.GetFunctionResponse;
import io.stratus.lambda.LambdaModel.ListFunctionsRequest;
import io.stratus.lambda.LambdaModel.ListFunctionsResponse;
import io.stratus.lambda.LambdaModel.UpdateFunctionCodeRequest;
import io.stratus.lambda.LambdaModel.UpdateFunctionConfigurationRequest;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS Lambda: the control plane of zip functions, with invocations ({@link InvokeOperations}) run by
 * local processes ({@link ExecutionEnvironment}), {@code Event} invocations ({@link AsyncInvocations}),
 * and SQS and DynamoDB Streams event source mappings ({@link EventSourceMappings}). Metadata is in the store, one key per function;
 * code is files under the settings' data directory. Its {@link #functions()} are the {@link FunctionInvoker} other services
 * reach functions through. Thread-safe.
 */
public final class LambdaService implements StratusService {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaService.class);
    /** A 50 MB zip, base64-encoded in a JSON body, plus room for the other members. */
    private static final long MAX_REQUEST_BYTES = 70L * 1024 * 1024;
    private static final List<String> RUNTIME_FILES = List.of("bootstrap.js", "bootstrap.py", "forkserver.py");

    private final FunctionStore functions;
    private final CodeStore code;
    private final Clock clock;
    private final LambdaSettings settings;
    private final EnvironmentPool pool;
    private final Invoker invoker;
    private final InvokeOperations invocations;
    private final AsyncInvocations async;
    private final PeriodicTask reaper;
    private final EventSourceMappings mappings;
    private final VersionOperations versions;
    private final AliasOperations aliases;
    private final ConcurrencyOperations concurrency;
    private final TagOperations tags;
    private final PolicyOperations policies;
    private final EventInvokeOperations eventInvokeConfigs;
    private final FunctionUrls urls;
    private final LayerStore layerStore;
    private final LayerOperations layers;
    private final FunctionPreparer preparer;
    private final ProvisionedConcurrencyOperations provisioned;
    private final CodeSigningOperations codeSigning;
    private final CodeSources codeSources;
    private final CodeLocations codeLocations;
    private final ServiceDefinition definition;

    /**
     * @param store where functions and event source mappings live
     * @param clock the time of changes
     * @param settings limits, directories and the endpoint functions call back to
     * @param queues SQS, for event source mappings that read queues (and their OnFailure destinations)
     * @param streams the stream services (DynamoDB Streams, Kinesis), for event source mappings that read streams
     * @param targets what {@code Event} invocations' destinations and dead-letter queues are
     *     delivered through; Lambda is itself a target (a destination may be a function), so these
     *     may reach back here, and are used only once the service started
     * @param logs CloudWatch Logs, where each environment writes its lines to {@code /aws/lambda/<name>}
     * @param objects S3, where function code and layers given as {@code S3Bucket}/{@code S3Key} are read
     * @param roles STS, which issues the sessions of the functions' execution roles their runtimes act as
     */
    public LambdaService(Store store, Clock clock, LambdaSettings settings, Queues queues, ChangeFeed streams,
            Targets targets, Logs logs, ObjectSource objects, RoleSessions roles) {
        this.functions = new FunctionStore(requireNonNull(store, "store is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.layerStore = new LayerStore(store, settings.dataDir());
        this.codeLocations = new CodeLocations(store, settings.dataDir(), settings.clientEndpoint(), clock);
        this.codeSources = new CodeSources(objects);
        this.layers = new LayerOperations(layerStore, clock, (context, content) -> codeSources.zip(context.accountId(),
                new FunctionCode(content.zipFile(), content.s3Bucket(), content.s3Key(), content.s3ObjectVersion(), null), "PublishLayerVersion"),
                functions::everything, codeLocations);
        this.code = new CodeStore(settings.dataDir(), functions, layerStore::optDir);
        this.pool = new EnvironmentPool(settings, clock, code::reference, settings.dataDir().resolve("runtime"), requireNonNull(logs, "logs is null"),
                new FunctionCredentials(roles, clock));
        // Once an update is Successful, environments of the code before it retire and that code goes.
        this.preparer = new FunctionPreparer(functions, code, settled -> pool.retire(settled.accountId(), settled.region(), settled.name(), settled.version()));
        this.concurrency = new ConcurrencyOperations(functions, settings.accountConcurrency(), this::latest, layerStore);
        RecursionOperations recursion = new RecursionOperations(functions, this::latest);
        this.invoker = new Invoker(pool, concurrency, recursion);
        this.async = new AsyncInvocations(invoker, new EventStore(store), functions, code, new Destinations(requireNonNull(targets, "targets is null"), clock), clock,
                settings.asyncConcurrency(), settings.asyncRetryDelay());
        this.reaper = new PeriodicTask("lambda-idle-reaper", pool::reapIdle, e -> LOG.warn("Reaping idle environments failed; the next round retries", e));
        this.versions = new VersionOperations(functions, code, pool, clock, this::latest);
        this.aliases = new AliasOperations(functions, versions, this::latest);
        this.policies = new PolicyOperations(functions, versions, this::latest);
        this.invocations = new InvokeOperations(code, versions, this::latest, policies, invoker, async);
        this.eventInvokeConfigs = new EventInvokeOperations(functions, versions, this::latest, clock);
        this.urls = new FunctionUrls(store, functions, versions, this::latest, clock, settings);
        this.mappings = new EventSourceMappings(store, clock, requireNonNull(queues, "queues is null"),
                requireNonNull(streams, "streams is null"), targets, invocations,
                (accountId, region, name) -> mappedFunction(accountId, region, name));
        this.codeSigning = new CodeSigningOperations(new CodeSigningConfigStore(store), functions, this::latest, clock);
        this.tags = new TagOperations(functions, this::latest, mappings, codeSigning);
        this.provisioned = new ProvisionedConcurrencyOperations(functions, concurrency, this::latest, clock, pool);
        this.definition = LambdaRoutes.definition(this, versions, aliases, concurrency, tags, policies, eventInvokeConfigs, mappings, urls, layers,
                provisioned, new FunctionUrlEndpoint(urls, policies, invocations::invokeUrl), codeLocations, codeSigning,
                new RuntimeManagementOperations(versions, this::latest), recursion, MAX_REQUEST_BYTES);
    }

    /** Functions act as their accounts, with no execution role sessions. */
    public LambdaService(Store store, Clock clock, LambdaSettings settings, Queues queues, ChangeFeed streams,
            Targets targets, Logs logs, ObjectSource objects) {
        this(store, clock, settings, queues, streams, targets, logs, objects, RoleSessions.NONE);
    }

    /** What other services reach functions through. */
    public FunctionInvoker functions() {
        return invocations;
    }

    /** Invoke and InvokeWithResponseStream. */
    InvokeOperations invocations() {
        return invocations;
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    @Override
    public void start() {
        Path runtimeDir = settings.dataDir().resolve("runtime");
        try {
            Files.createDirectories(runtimeDir);
            // Written on every start, so an upgraded Stratus runs its own bootstraps.
            for (String file : RUNTIME_FILES) {
                try (InputStream in = LambdaService.class.getResourceAsStream("runtime/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("The runtime file " + file + " is missing from the Stratus build");
                    }
                    Files.copy(in, runtimeDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the Lambda runtimes under " + runtimeDir, e);
        }
        code.deleteLeftovers();
        layerStore.deleteLeftovers();
        // Zips of deleted layer versions whose last function went while Stratus was stopped or since it started.
        layerStore.sweep(functions.everything());
        // Functions a stop caught Pending or mid-update end Active (or Failed).
        preparer.resume();
        urls.start();
        Duration period = Duration.ofMillis(Math.max(1000, Math.min(30_000, settings.idleTimeout().toMillis() / 2)));
        reaper.start(period, period);
        async.start();
        mappings.start();
        // Provisioned concurrency's environments, made again after a restart.
        provisioned.start();
    }

    FunctionConfiguration createFunction(RequestContext context, CreateFunctionRequest request) {
        String name = FunctionRules.newFunctionName(request.functionName());
        Map<String, String> functionTags = TagOperations.validate(request.tags());
        FunctionRules.notYet("VpcConfig", FunctionRules.present(request.vpcConfig()));
        FunctionRules.notYet("KMSKeyArn", request.kmsKeyArn() != null);
        FunctionRules.tracingConfig(request.tracingConfig());
        FunctionRules.notYet("FileSystemConfigs", FunctionRules.present(request.fileSystemConfigs()));
        FunctionRules.notYet("ImageConfig", FunctionRules.present(request.imageConfig()));
        FunctionRules.notYet("SnapStart", FunctionRules.present(request.snapStart()));
        FunctionLogging logging = FunctionLogging.create(request.loggingConfig());
        String role = FunctionRules.role(request.role());
        if (request.code() == null) {
            throw FunctionRules.notNull("code");
        }
        if (request.packageType() != null && !request.packageType().equals("Zip")) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Stratus runs Zip functions only; PackageType %s is not supported yet.", request.packageType());
        }
        if (request.runtime() == null || request.handler() == null) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        FunctionRuntime runtime = FunctionRuntime.of(request.runtime());
        String handler = FunctionRules.handler(request.handler());
        int timeout = FunctionRules.timeout(request.timeout(), FunctionRules.DEFAULT_TIMEOUT);
        int memorySize = FunctionRules.memorySize(request.memorySize(), FunctionRules.DEFAULT_MEMORY_SIZE);
        int ephemeralStorage = FunctionRules.ephemeralStorage(request.ephemeralStorage(), FunctionRecord.DEFAULT_EPHEMERAL_STORAGE);
        String description = FunctionRules.description(request.description(), "");
        Map<String, String> environment = FunctionRules.environment(request.environment() == null ? null : request.environment().variables());
        String deadLetterTarget = FunctionRules.deadLetterTarget(request.deadLetterConfig());
        FunctionRules.architectures(request.architectures());
        byte[] zip = codeSources.zip(context.accountId(), request.code(), "CreateFunction");
        runtime.interpreter();
        List<FunctionRecord.FunctionLayer> functionLayers = layers.resolve(context, request.layers());
        if (!functionLayers.isEmpty()) {
            LayerOperations.checkTotalSize(CodeStore.validate(zip), functionLayers);
        }
        CodeSigningConfigStore.Stored signing = codeSigning.forNewFunction(context.accountId(), context.region(), name, request.codeSigningConfigArn());

        FunctionRecord function = new FunctionRecord(context.accountId(), context.region(), name, runtime.id(), role, handler, description,
                timeout, memorySize, environment, CodeStore.sha256(zip), zip.length, clock.instant(), UUID.randomUUID().toString(),
                FunctionRecord.LATEST, 0, null, deadLetterTarget, functionLayers, logging, ephemeralStorage).creating();
        if (functions.get(context.accountId(), context.region(), name).isPresent()) {
            throw conflict(name);
        }
        // The code first: a function the store knows always has its zip on disk. The reference
        // keeps it from a sweep until the record names it.
        try (CodeStore.Reference upload = code.reference(function)) {
            code.put(function, zip);
            if (!code.locked(function.accountId(), function.region(), function.name(), () -> functions.create(function))) {
                throw conflict(name);
            }
            // A function of the same name deleted before: none of its environments may serve this one.
            pool.retireAll(function.accountId(), function.region(), function.name());
        }
        tags.tagNew(function, functionTags);
        if (signing != null) {
            codeSigning.attach(function, signing);
        }
        FunctionConfiguration created = Boolean.TRUE.equals(request.publish())
                ? versions.publish(function.accountId(), function.region(), function.name(), null, null, null).configuration()
                : function.configuration();
        // Pending until its code and layers are extracted, in the background (after publishing, so the version is prepared too).
        preparer.prepare(function.accountId(), function.region(), function.name());
        return created;
    }

    private static AwsException conflict(String name) {
        return AwsException.of(LambdaErrors.RESOURCE_CONFLICT, "Function already exist: %s", name);
    }

    GetFunctionResponse getFunction(RequestContext context, GetFunctionRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        FunctionRecord latest = latest(context.accountId(), context.region(), reference);
        FunctionRecord function = versions.qualified(latest, reference.qualifier(), false);
        Map<String, String> functionTags = tags.tags(latest);
        Integer reserved = concurrency.reserved(latest);
        return new GetFunctionResponse(function.configuration(requestedArn(function, reference)),
                new LambdaModel.FunctionCodeLocation("S3", codeLocations.url(code.zip(function))),
                functionTags.isEmpty() ? null : new java.util.TreeMap<>(functionTags),
                reserved == null ? null : new ControlModel.Concurrency(reserved));
    }

    FunctionConfiguration getFunctionConfiguration(RequestContext context, GetFunctionConfigurationRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        FunctionRecord function = find(context, reference);
        return function.configuration(requestedArn(function, reference));
    }

    /** The ARN a Get reports: the function's, or with the qualifier asked for (a version's or an alias's). */
    private static String requestedArn(FunctionRecord function, FunctionReference reference) {
        return reference.qualifier() == null ? function.arn() : function.arn() + ":" + reference.qualifier();
    }

    ListFunctionsResponse listFunctions(RequestContext context, ListFunctionsRequest request) {
        int maxItems = Math.min(FunctionRules.maxItems(request.maxItems(), FunctionRules.MOST_LISTED), FunctionRules.MOST_LISTED);
        boolean allVersions = request.functionVersion() != null;
        if (allVersions && !request.functionVersion().equals("ALL")) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%s' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
                    request.functionVersion());
        }
        // One more than asked tells whether a next page exists.
        List<FunctionRecord> page = functions.list(context.accountId(), context.region(), request.marker(), maxItems + 1);
        String nextMarker = page.size() > maxItems ? page.get(maxItems - 1).name() : null;
        // With FunctionVersion ALL, each function of the page comes with its published versions
        // (MaxItems and the marker count functions).
        List<FunctionConfiguration> configurations = page.stream().limit(maxItems)
                .flatMap(f -> allVersions
                        ? java.util.stream.Stream.concat(java.util.stream.Stream.of(f.configuration(true)),
                                functions.versions(f.accountId(), f.region(), f.name(), 0, Integer.MAX_VALUE).stream().map(FunctionRecord::configuration))
                        : java.util.stream.Stream.of(f.configuration()))
                .map(FunctionConfiguration::listed)
                .toList();
        return new ListFunctionsResponse(nextMarker, configurations);
    }

    FunctionConfiguration updateFunctionCode(RequestContext context, UpdateFunctionCodeRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        FunctionRules.notYet("DryRun", Boolean.TRUE.equals(request.dryRun()));
        byte[] zip = codeSources.zip(context.accountId(), new FunctionCode(request.zipFile(), request.s3Bucket(), request.s3Key(),
                request.s3ObjectVersion(), request.imageUri()), "UpdateFunctionCode");
        FunctionRules.architectures(request.architectures());
        FunctionRecord current = find(context, reference);
        if (!current.layers().isEmpty()) {
            LayerOperations.checkTotalSize(CodeStore.validate(zip), current.layers());
        }
        FunctionRules.checkRevision(current, request.revisionId());
        codeSigning.verifyDeployment(current.accountId(), current.region(), current.name());
        String sha256 = CodeStore.sha256(zip);
        if (Boolean.TRUE.equals(request.dryRun())) {
            return withCode(current, sha256, zip.length).configuration();
        }
        FunctionRecord updated;
        // The new zip is referenced from before it is written until the record names it, and the
        // old code goes when the last environment or invocation using it lets go (the reference's
        // close sweeps), never under them.
        try (CodeStore.Reference upload = code.reference(withCode(current, sha256, zip.length))) {
            code.put(upload.function(), zip);
            updated = code.locked(context.accountId(), context.region(), reference.name(),
                    () -> functions.update(context.accountId(), context.region(), reference.name(), function -> {
                        FunctionRules.checkRevision(function, request.revisionId());
                        FunctionRules.requireSettled(function);
                        return withCode(function, sha256, zip.length).updating(function);
                    }).orElseThrow(() -> notFound(context, reference.name())));
        }
        FunctionConfiguration answer = Boolean.TRUE.equals(request.publish())
                ? versions.publish(updated.accountId(), updated.region(), updated.name(), null, null, null).configuration()
                : updated.configuration();
        preparer.prepare(updated.accountId(), updated.region(), updated.name());
        return answer;
    }

    private FunctionRecord withCode(FunctionRecord f, String sha256, long size) {
        return new FunctionRecord(f.accountId(), f.region(), f.name(), f.runtime(), f.role(), f.handler(), f.description(), f.timeout(),
                f.memorySize(), f.environment(), sha256, size, clock.instant(), UUID.randomUUID().toString(), f.version(), f.lastVersion(),
                f.publishedFrom(), f.deadLetterTargetArn(), f.layers(), f.logging(), f.ephemeralStorage());
    }

    FunctionConfiguration updateFunctionConfiguration(RequestContext context, UpdateFunctionConfigurationRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), null);
        FunctionRules.notYet("VpcConfig", FunctionRules.present(request.vpcConfig()));
        FunctionRules.notYet("KMSKeyArn", request.kmsKeyArn() != null && !request.kmsKeyArn().isEmpty());
        FunctionRules.tracingConfig(request.tracingConfig());
        FunctionRules.notYet("FileSystemConfigs", FunctionRules.present(request.fileSystemConfigs()));
        FunctionRules.notYet("ImageConfig", FunctionRules.present(request.imageConfig()));
        FunctionRules.notYet("SnapStart", FunctionRules.present(request.snapStart()));
        // Checked before the function is read, as AWS validates a request's members first; applied to it below.
        FunctionLogging.check(request.loggingConfig());
        int ephemeralStorage = FunctionRules.ephemeralStorage(request.ephemeralStorage(), 0);
        String role = request.role() == null ? null : FunctionRules.role(request.role());
        String handler = request.handler() == null ? null : FunctionRules.handler(request.handler());
        FunctionRuntime runtime = request.runtime() == null ? null : FunctionRuntime.of(request.runtime());
        if (runtime != null) {
            runtime.interpreter();
        }
        Map<String, String> environment = request.environment() == null ? null
                : FunctionRules.environment(request.environment().variables() == null ? Map.of() : request.environment().variables());
        // Absent keeps the dead-letter queue; an empty TargetArn removes it.
        String deadLetterTarget = request.deadLetterConfig() == null ? null : FunctionRules.deadLetterTarget(request.deadLetterConfig());
        // Absent keeps the layers; an empty list removes them.
        List<FunctionRecord.FunctionLayer> newLayers = request.layers() == null ? null
                : layers.resolve(context, request.layers());
        if (newLayers != null && !newLayers.isEmpty()) {
            FunctionRecord current = find(context, reference);
            LayerOperations.checkTotalSize(code.unzippedSize(current), newLayers);
            if (!newLayers.equals(current.layers())) {
                // Layers added to a function are deployed code, checked as its own code is.
                codeSigning.verifyDeployment(current.accountId(), current.region(), current.name());
            }
        }
        FunctionRecord updated = functions.update(context.accountId(), context.region(), reference.name(), f -> {
            FunctionRules.checkRevision(f, request.revisionId());
            FunctionRules.requireSettled(f);
            return new FunctionRecord(f.accountId(), f.region(), f.name(),
                    runtime == null ? f.runtime() : runtime.id(),
                    role == null ? f.role() : role,
                    handler == null ? f.handler() : handler,
                    FunctionRules.description(request.description(), f.description()),
                    FunctionRules.timeout(request.timeout(), f.timeout()),
                    FunctionRules.memorySize(request.memorySize(), f.memorySize()),
                    environment == null ? f.environment() : environment,
                    f.codeSha256(), f.codeSize(), clock.instant(), UUID.randomUUID().toString(), f.version(), f.lastVersion(), f.publishedFrom(),
                    deadLetterTarget == null ? f.deadLetterTargetArn() : deadLetterTarget,
                    newLayers == null ? f.layers() : newLayers,
                    f.logging().update(request.loggingConfig()),
                    ephemeralStorage == 0 ? f.ephemeralStorage() : ephemeralStorage).updating(f);
        }).orElseThrow(() -> notFound(context, reference.name()));
        preparer.prepare(updated.accountId(), updated.region(), updated.name());
        return updated.configuration();
    }

    DeleteFunctionResponse deleteFunction(RequestContext context, DeleteFunctionRequest request) {
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        if (FunctionRecord.LATEST.equals(reference.qualifier())) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "$LATEST version cannot be deleted without deleting the function.");
        }
        if (reference.qualifier() != null) {
            FunctionRecord latest = latest(context.accountId(), context.region(), reference);
            versions.deleteVersion(latest.accountId(), latest.region(), latest.name(), reference.qualifier());
            return new DeleteFunctionResponse();
        }
        FunctionRecord deleted = code.locked(context.accountId(), context.region(), reference.name(),
                () -> functions.delete(context.accountId(), context.region(), reference.name()).orElseThrow(() -> notFound(context, reference.name())));
        pool.retireAll(deleted.accountId(), deleted.region(), deleted.name());
        concurrency.forget(deleted.accountId());
        // What running invocations still use goes when they end.
        code.sweep(deleted.accountId(), deleted.region(), deleted.name());
        return new DeleteFunctionResponse();
    }

    private FunctionRecord find(RequestContext context, FunctionReference reference) {
        return find(context.accountId(), context.region(), reference);
    }

    /**
     * The function, version or alias an event source mapping names (which must exist); the mapping
     * invokes it by that name, so an alias's routing applies to each batch as it does to Invoke.
     */
    private EventSourceMappings.MappedFunction mappedFunction(String accountId, String region, String name) {
        FunctionReference reference = FunctionRules.reference(name, null);
        return new EventSourceMappings.MappedFunction(EventSourceMappings.mappedName(reference), find(accountId, region, reference));
    }

    /** The version, alias's version or {@code $LATEST} a reference names (an alias's primary version). */
    private FunctionRecord find(String accountId, String region, FunctionReference reference) {
        return versions.qualified(latest(accountId, region, reference), reference.qualifier(), false);
    }

    /** The {@code $LATEST} of the function a reference names, whatever its qualifier. */
    private FunctionRecord latest(String accountId, String region, FunctionReference reference) {
        if (reference.region() != null && !reference.region().equals(region)) {
            throw AwsException.of(LambdaErrors.RESOURCE_NOT_FOUND, "Functions from '%s' are not reachable in this region ('%s')", reference.region(), region);
        }
        if (reference.accountId() != null && !reference.accountId().equals(accountId)) {
            // Only Invoke reaches another account's function (PolicyOperations.invokedAccount); the rest of the API stays in the caller's.
            throw PolicyOperations.notAuthorized("arn:aws:iam::" + accountId + ":root", region, reference);
        }
        return functions.get(accountId, region, reference.name())
                .orElseThrow(() -> notFound(accountId, region, reference.name()));
    }

    private static AwsException notFound(RequestContext context, String name) {
        return notFound(context.accountId(), context.region(), name);
    }

    static AwsException notFound(String accountId, String region, String name) {
        return new AwsException(LambdaErrors.RESOURCE_NOT_FOUND, "Function not found: " + FunctionRecord.arn(accountId, region, name),
                Map.of("Type", "User"), null);
    }

    @Override
    public void close() {
        preparer.close();
        provisioned.close();
        mappings.close();
        reaper.close();
        async.close();
        pool.close();
        if (settings.temporary()) {
            CodeStore.deleteTree(settings.dataDir());
        }
    }
}
