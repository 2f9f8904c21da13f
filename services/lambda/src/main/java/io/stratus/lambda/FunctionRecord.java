package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.stratus.lambda.LambdaModel.EnvironmentResponse;
import io.stratus.lambda.LambdaModel.EphemeralStorage;
import io.stratus.lambda.LambdaModel.FunctionConfiguration;
import io.stratus.lambda.LambdaModel.TracingConfigResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a function as Stratus keeps it: {@code $LATEST} or a published version, each its
 * configuration plus the identity of its code (the zip itself is a file, see {@link CodeStore}).
 * Immutable; an update of {@code $LATEST} makes a new record with a new {@code revisionId}, which
 * also tells warm environments of the old revision to retire. A published version is a snapshot
 * of {@code $LATEST} that never changes.
 *
 * @param codeSha256 the base64 SHA-256 of the zip, as AWS reports it
 * @param version {@code $LATEST} or a published version's number
 * @param lastVersion on {@code $LATEST}: the number of the last version published (numbers are
 *     never reused, even after the version is deleted); 0 before the first, and on versions
 * @param publishedFrom on {@code $LATEST}: its {@code revisionId} when the last version was
 *     published, so publishing again without a change returns that version; else null
 * @param deadLetterTargetArn the SQS queue or SNS topic failed {@code Event} invocations go to
 *     ({@code DeadLetterConfig.TargetArn}), or null
 * @param layers the layer versions the function runs with, in order (later ones overwrite earlier
 *     ones' files), each with the digest that names its zip; a published version pins them
 * @param state {@code Pending} from CreateFunction until its code and layers are ready, then
 *     {@code Active} (or {@code Failed}); {@code stateReason} and {@code stateReasonCode} say why
 * @param lastUpdateStatus {@code InProgress} from an update until its code and layers are ready,
 *     then {@code Successful} (or {@code Failed}); none while the function is {@code Pending}
 * @param previous on {@code $LATEST} while an update is {@code InProgress} or after it {@code
 *     Failed}: the code and configuration before it, which invocations keep running (as on AWS,
 *     until the update is {@code Successful}, and for good when it fails); else null
 * @param logging its {@code LoggingConfig}: the logs' format, levels and log group
 * @param ephemeralStorage its {@code EphemeralStorage} size in MB (512 to 10240), what its {@code /tmp} may hold
 */
record FunctionRecord(
        String accountId,
        String region,
        String name,
        String runtime,
        String role,
        String handler,
        String description,
        int timeout,
        int memorySize,
        Map<String, String> environment,
        String codeSha256,
        long codeSize,
        Instant lastModified,
        String revisionId,
        String version,
        int lastVersion,
        String publishedFrom,
        String deadLetterTargetArn,
        List<FunctionLayer> layers,
        String state,
        String stateReason,
        String stateReasonCode,
        String lastUpdateStatus,
        String lastUpdateStatusReason,
        String lastUpdateStatusReasonCode,
        FunctionRecord previous,
        FunctionLogging logging,
        int ephemeralStorage) {

    static final String PENDING = "Pending";
    static final String ACTIVE = "Active";
    static final String FAILED = "Failed";
    static final String IN_PROGRESS = "InProgress";
    static final String SUCCESSFUL = "Successful";

    /** A layer version a function uses: its ARN, and what its zip is, so the function runs it even after the version is deleted. */
    record FunctionLayer(String arn, String layerName, String codeSha256, long codeSize, long unzippedSize) {
        FunctionLayer {
            requireNonNull(arn, "arn is null");
            requireNonNull(layerName, "layerName is null");
            requireNonNull(codeSha256, "codeSha256 is null");
        }
    }

    static final String LATEST = "$LATEST";
    /** AWS's default {@code EphemeralStorage} size, in MB. */
    static final int DEFAULT_EPHEMERAL_STORAGE = 512;

    /** AWS's LastModified format, e.g. {@code 2024-01-01T00:00:00.000+0000}. */
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    @JsonCreator
    FunctionRecord {
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
        requireNonNull(runtime, "runtime is null");
        requireNonNull(role, "role is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(revisionId, "revisionId is null");
        description = description == null ? "" : description;
        environment = environment == null ? Map.of() : Map.copyOf(new TreeMap<>(environment));
        // Records stored before versions existed have none: they are $LATEST.
        version = version == null ? LATEST : version;
        deadLetterTargetArn = deadLetterTargetArn == null || deadLetterTargetArn.isEmpty() ? null : deadLetterTargetArn;
        // Records stored before layers existed have none.
        layers = layers == null ? List.of() : List.copyOf(layers);
        // Records stored before states existed were ready when stored.
        state = state == null ? ACTIVE : state;
        lastUpdateStatus = lastUpdateStatus == null && !state.equals(PENDING) ? SUCCESSFUL : lastUpdateStatus;
        // One generation back is all an invocation can need.
        previous = previous == null || previous.previous() == null ? previous : previous.withPrevious(null);
        // Records stored before logging configurations existed log as Lambda does by default.
        logging = logging == null ? FunctionLogging.DEFAULT : logging;
        // Records stored before ephemeral storage sizes existed have AWS's default.
        ephemeralStorage = ephemeralStorage == 0 ? DEFAULT_EPHEMERAL_STORAGE : ephemeralStorage;
    }

    /** Ready to run ({@code Active}, last update {@code Successful}). */
    FunctionRecord(String accountId, String region, String name, String runtime, String role, String handler, String description, int timeout,
            int memorySize, Map<String, String> environment, String codeSha256, long codeSize, Instant lastModified, String revisionId,
            String version, int lastVersion, String publishedFrom, String deadLetterTargetArn, List<FunctionLayer> layers, FunctionLogging logging,
            int ephemeralStorage) {
        this(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256, codeSize, lastModified,
                revisionId, version, lastVersion, publishedFrom, deadLetterTargetArn, layers, null, null, null, null, null, null, null, logging,
                ephemeralStorage);
    }

    /** With Lambda's default logging. */
    FunctionRecord(String accountId, String region, String name, String runtime, String role, String handler, String description, int timeout,
            int memorySize, Map<String, String> environment, String codeSha256, long codeSize, Instant lastModified, String revisionId,
            String version, int lastVersion, String publishedFrom, String deadLetterTargetArn, List<FunctionLayer> layers) {
        this(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256, codeSize, lastModified,
                revisionId, version, lastVersion, publishedFrom, deadLetterTargetArn, layers, FunctionLogging.DEFAULT, DEFAULT_EPHEMERAL_STORAGE);
    }

    private FunctionRecord withStatus(String newState, String newStateReason, String newStateReasonCode, String newLastUpdateStatus,
            String newLastUpdateStatusReason, String newLastUpdateStatusReasonCode, FunctionRecord newPrevious) {
        return new FunctionRecord(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256,
                codeSize, lastModified, revisionId, version, lastVersion, publishedFrom, deadLetterTargetArn, layers, newState, newStateReason,
                newStateReasonCode, newLastUpdateStatus, newLastUpdateStatusReason, newLastUpdateStatusReasonCode, newPrevious, logging, ephemeralStorage);
    }

    private FunctionRecord withPrevious(FunctionRecord newPrevious) {
        return withStatus(state, stateReason, stateReasonCode, lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode, newPrevious);
    }

    /** Just created: {@code Pending} until its code and layers are ready, as AWS reports a new function. */
    FunctionRecord creating() {
        return withStatus(PENDING, "The function is being created.", "Creating", null, null, null, null);
    }

    /**
     * Just updated: its last update {@code InProgress} until the new code and layers are ready, as
     * AWS reports it, with {@code before} (the record the update was made from) still running.
     */
    FunctionRecord updating(FunctionRecord before) {
        return withStatus(ACTIVE, null, null, IN_PROGRESS, "The function is being created.", "Creating", before.running());
    }

    /** Its code and layers are ready: invocations run it from now on. */
    FunctionRecord ready() {
        return withStatus(ACTIVE, null, null, SUCCESSFUL, null, null, null);
    }

    /**
     * The same record under a new {@code revisionId}: once an update of {@code $LATEST} completes,
     * AWS reports yet another revision than the one the update answered, so a client must read
     * the function again before it can name its revision.
     */
    FunctionRecord revised() {
        String newRevisionId = java.util.UUID.randomUUID().toString();
        // A version published from this revision (UpdateFunctionCode with Publish) stays the one publishing again answers.
        return new FunctionRecord(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256,
                codeSize, lastModified, newRevisionId, version, lastVersion, revisionId.equals(publishedFrom) ? newRevisionId : publishedFrom,
                deadLetterTargetArn, layers, state, stateReason, stateReasonCode, lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode,
                previous, logging, ephemeralStorage);
    }

    /**
     * Preparing its code or layers failed: a new function is {@code Failed}; after an update its
     * status is, and the code and configuration before the update go on running (AWS aborts the update).
     */
    FunctionRecord failed(String reason) {
        return state.equals(PENDING) ? withStatus(FAILED, reason, "InternalError", FAILED, reason, "InternalError", null)
                : withStatus(state, stateReason, stateReasonCode, FAILED, reason, "InternalError", previous);
    }

    /**
     * What an invocation of this version runs: the code and configuration before an update still
     * {@code InProgress} (or that {@code Failed}), else this record itself.
     */
    FunctionRecord running() {
        return previous == null ? this : previous;
    }

    /** Whether its code and layers are still being made ready (Pending, or an update in progress). */
    boolean preparing() {
        return state.equals(PENDING) || IN_PROGRESS.equals(lastUpdateStatus);
    }

    /** Without layers. */
    FunctionRecord(String accountId, String region, String name, String runtime, String role, String handler, String description, int timeout,
            int memorySize, Map<String, String> environment, String codeSha256, long codeSize, Instant lastModified, String revisionId,
            String version, int lastVersion, String publishedFrom, String deadLetterTargetArn) {
        this(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256, codeSize, lastModified,
                revisionId, version, lastVersion, publishedFrom, deadLetterTargetArn, List.of());
    }

    /** Without a dead-letter queue. */
    FunctionRecord(String accountId, String region, String name, String runtime, String role, String handler, String description, int timeout,
            int memorySize, Map<String, String> environment, String codeSha256, long codeSize, Instant lastModified, String revisionId,
            String version, int lastVersion, String publishedFrom) {
        this(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment, codeSha256, codeSize, lastModified,
                revisionId, version, lastVersion, publishedFrom, null, List.of());
    }

    boolean latest() {
        return version.equals(LATEST);
    }

    /** This version's ARN with its qualifier, e.g. {@code …:function:name:3} or {@code …:function:name:$LATEST}. */
    String qualifiedArn() {
        return arn() + ":" + version;
    }

    /** The immutable version {@code number} published from this {@code $LATEST}. */
    FunctionRecord publish(int number, String versionDescription, Instant now, String newRevisionId) {
        return new FunctionRecord(accountId, region, name, runtime, role, handler, versionDescription, timeout, memorySize, environment,
                codeSha256, codeSize, now, newRevisionId, Integer.toString(number), 0, null, deadLetterTargetArn, layers, state, stateReason,
                stateReasonCode, lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode, null, logging, ephemeralStorage);
    }

    /** This {@code $LATEST} after publishing version {@code number}: its revision stays the same. */
    FunctionRecord published(int number) {
        return new FunctionRecord(accountId, region, name, runtime, role, handler, description, timeout, memorySize, environment,
                codeSha256, codeSize, lastModified, revisionId, version, number, revisionId, deadLetterTargetArn, layers, state, stateReason,
                stateReasonCode, lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode, previous, logging, ephemeralStorage);
    }

    String arn() {
        return arn(accountId, region, name);
    }

    static String arn(String accountId, String region, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    String logGroupName() {
        return logging.logGroup(name);
    }

    /** The function as every control-plane operation reports it: a version with its qualified ARN. */
    FunctionConfiguration configuration() {
        return configuration(!latest());
    }

    /** @param qualified whether the ARN carries the version (ListVersionsByFunction qualifies {@code $LATEST} too) */
    FunctionConfiguration configuration(boolean qualified) {
        return configuration(qualified ? qualifiedArn() : arn());
    }

    /** @param functionArn the ARN to report: a request through an alias gets the alias's */
    FunctionConfiguration configuration(String functionArn) {
        return new FunctionConfiguration(name, functionArn, runtime, role, handler, codeSize, description, timeout, memorySize,
                LAST_MODIFIED.format(lastModified), codeSha256, version,
                environment.isEmpty() ? null : new EnvironmentResponse(new TreeMap<>(environment)),
                new TracingConfigResponse("PassThrough"), revisionId,
                state, stateReason, stateReasonCode, lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode,
                "Zip", List.of("x86_64"), new EphemeralStorage(ephemeralStorage),
                logging.response(name),
                deadLetterTargetArn == null ? null : new LambdaModel.DeadLetterConfig(deadLetterTargetArn),
                layers.isEmpty() ? null : layers.stream().map(l -> new LambdaModel.Layer(l.arn(), l.codeSize())).toList());
    }
}
