package io.stratus.lambda;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import io.stratus.core.RequestContext;
import io.stratus.lambda.ControlModel.Empty;
import io.stratus.lambda.ControlModel.ListProvisionedConcurrencyConfigsRequest;
import io.stratus.lambda.ControlModel.ListProvisionedConcurrencyConfigsResponse;
import io.stratus.lambda.ControlModel.ProvisionedConcurrencyConfig;
import io.stratus.lambda.ControlModel.ProvisionedConcurrencyConfigListItem;
import io.stratus.lambda.ControlModel.ProvisionedConcurrencyConfigRequest;
import io.stratus.lambda.ControlModel.PutProvisionedConcurrencyConfigRequest;
import io.stratus.lambda.FunctionRules.FunctionReference;
import io.stratus.lambda.FunctionStore.Attachment;
import io.stratus.lambda.ProvisionedConcurrencyWorker.Allocation;
import io.stratus.lambda.ProvisionedConcurrencyWorker.ConfigKey;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provisioned concurrency: PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig,
 * DeleteProvisionedConcurrencyConfig and ListProvisionedConcurrencyConfigs, on published versions
 * and aliases. A configuration is one store attachment per version or alias; its environments are
 * really started and initialized ahead of invocations by {@link ProvisionedConcurrencyWorker},
 * whose progress the answers report ({@code IN_PROGRESS}, then {@code READY}). Provisioned
 * concurrency counts against the function's reserved concurrency, or else against the account's
 * unreserved concurrency (see {@link ConcurrencyOperations.Reservations#withheld}).
 *
 * <p>Thread-safe: changes are checked and stored holding the {@link ConcurrencyOperations}'
 * monitor, as reservations are, so two changes cannot both take the last of the account's
 * concurrency.
 */
final class ProvisionedConcurrencyOperations implements AutoCloseable {

    /** A configuration as stored. */
    record Config(int requested, String lastModified) {}

    /** AWS's format of a configuration's LastModified, e.g. {@code 2024-01-01T00:00:00.000+0000}. */
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final String UNPUBLISHED = "Provisioned Concurrency Configs cannot be applied to unpublished function versions.";

    private final FunctionStore functions;
    private final ConcurrencyOperations concurrency;
    private final VersionOperations.Lookup lookup;
    private final Clock clock;
    private final ProvisionedConcurrencyWorker worker;

    ProvisionedConcurrencyOperations(FunctionStore functions, ConcurrencyOperations concurrency, VersionOperations.Lookup lookup, Clock clock,
            EnvironmentPool pool) {
        this.functions = requireNonNull(functions, "functions is null");
        this.concurrency = requireNonNull(concurrency, "concurrency is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.worker = new ProvisionedConcurrencyWorker(functions, pool, concurrency);
    }

    /** Starts allocating the stored configurations' environments (again, after a restart). */
    void start() {
        worker.start();
    }

    ProvisionedConcurrencyConfig put(RequestContext context, PutProvisionedConcurrencyConfigRequest request) {
        Integer requested = request.provisionedConcurrentExecutions();
        if (requested == null) {
            throw FunctionRules.notNull("provisionedConcurrentExecutions");
        }
        if (requested < 1) {
            throw AwsException.of(LambdaErrors.VALIDATION,
                    "1 validation error detected: Value '%d' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
                    requested);
        }
        if (request.qualifier() == null) {
            throw FunctionRules.notNull("qualifier"); // a required member of the API, whatever the name says
        }
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        String qualifier = reference.qualifier();
        if (qualifier.isEmpty() || qualifier.equals(FunctionRecord.LATEST)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, UNPUBLISHED);
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        String version = version(latest, qualifier);
        if (version.equals(FunctionRecord.LATEST)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, UNPUBLISHED);
        }
        Map<String, Config> configs = configs(latest);
        if (!qualifier.equals(version) && configs.containsKey(version)) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
        }
        if (qualifier.equals(version) && functions.aliases(latest.accountId(), latest.region(), latest.name(), AliasOperations.Alias.class).stream()
                .anyMatch(a -> a.functionVersion().equals(version) && configs.containsKey(a.name()))) {
            throw AwsException.of(LambdaErrors.RESOURCE_CONFLICT, "Version is pointed by a Provisioned Concurrency alias");
        }
        String lastModified = LAST_MODIFIED.format(clock.instant());
        synchronized (concurrency) {
            ConcurrencyOperations.Reservations reservations = concurrency.reservations(latest.accountId());
            String function = latest.region() + "/" + latest.name();
            Config current = configs(latest).get(qualifier);
            int replaced = current == null ? 0 : current.requested();
            Integer reserved = reservations.byFunction().get(function);
            if (reserved != null) {
                int others = reservations.provisioned().getOrDefault(function, 0) - replaced;
                if (others + requested > reserved) {
                    throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
                }
            } else {
                int unreserved = concurrency.accountConcurrency() - reservations.withheld() + replaced;
                int minimum = Math.min(ConcurrencyOperations.MIN_UNRESERVED, concurrency.accountConcurrency());
                if (requested > unreserved) {
                    throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                            "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [%d].", unreserved);
                }
                if (unreserved - requested < minimum) {
                    throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE,
                            "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].",
                            minimum);
                }
            }
            functions.changeAttachment(Attachment.PROVISIONED_CONCURRENCY, latest.accountId(), latest.region(), latest.name(), qualifier,
                    Config.class, c -> new Config(requested, lastModified))
                    .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
            concurrency.forget(latest.accountId());
        }
        worker.changed(key(latest, qualifier));
        // As AWS answers: accepted, nothing allocated yet.
        return new ProvisionedConcurrencyConfig(requested, 0, 0, ProvisionedConcurrencyWorker.IN_PROGRESS, null, lastModified);
    }

    ProvisionedConcurrencyConfig get(RequestContext context, ProvisionedConcurrencyConfigRequest request) {
        FunctionRecord latest = target(context, request);
        String qualifier = FunctionRules.reference(request.functionName(), request.qualifier()).qualifier();
        Config config = configs(latest).get(qualifier);
        if (config == null) {
            throw AwsException.of(LambdaErrors.PROVISIONED_CONCURRENCY_CONFIG_NOT_FOUND, "No Provisioned Concurrency Config found for this function");
        }
        Allocation allocation = allocation(latest, qualifier);
        return new ProvisionedConcurrencyConfig(config.requested(), allocation.allocated(), allocation.allocated(), allocation.status(),
                allocation.statusReason(), config.lastModified());
    }

    /** Deletes a version's or alias's configuration (none there is no error, as on AWS); its environments become ordinary ones. */
    Empty delete(RequestContext context, ProvisionedConcurrencyConfigRequest request) {
        FunctionRecord latest = target(context, request);
        String qualifier = FunctionRules.reference(request.functionName(), request.qualifier()).qualifier();
        synchronized (concurrency) {
            functions.changeAttachment(Attachment.PROVISIONED_CONCURRENCY, latest.accountId(), latest.region(), latest.name(), qualifier,
                    Config.class, c -> null).orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name()));
            concurrency.forget(latest.accountId());
        }
        worker.changed(key(latest, qualifier));
        return new Empty();
    }

    ListProvisionedConcurrencyConfigsResponse list(RequestContext context, ListProvisionedConcurrencyConfigsRequest request) {
        int maxItems = request.maxItems() == null ? 50 : request.maxItems();
        if (maxItems < 1 || maxItems > 50) {
            throw AwsException.of(LambdaErrors.VALIDATION, "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: %s",
                    maxItems, maxItems < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 50");
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), FunctionRules.reference(request.functionName(), null));
        List<ProvisionedConcurrencyConfigListItem> page = new ArrayList<>();
        String nextMarker = null;
        // In qualifier order; the marker is the last qualifier of the page before.
        for (Map.Entry<String, Config> entry : configs(latest).entrySet()) {
            if (request.marker() != null && entry.getKey().compareTo(request.marker()) <= 0) {
                continue;
            }
            if (page.size() == maxItems) {
                nextMarker = page.getLast().functionArn().substring(latest.arn().length() + 1);
                break;
            }
            Allocation allocation = allocation(latest, entry.getKey());
            Config config = entry.getValue();
            page.add(new ProvisionedConcurrencyConfigListItem(latest.arn() + ":" + entry.getKey(), config.requested(), allocation.allocated(),
                    allocation.allocated(), allocation.status(), allocation.statusReason(), config.lastModified()));
        }
        return new ListProvisionedConcurrencyConfigsResponse(nextMarker, page);
    }

    /** The function of a Get or Delete, once its qualifier is a published version or an alias that exists. */
    private FunctionRecord target(RequestContext context, ProvisionedConcurrencyConfigRequest request) {
        if (request.qualifier() == null) {
            throw FunctionRules.notNull("qualifier");
        }
        FunctionReference reference = FunctionRules.reference(request.functionName(), request.qualifier());
        String qualifier = reference.qualifier();
        if (qualifier.isEmpty() || qualifier.equals(FunctionRecord.LATEST)) {
            throw AwsException.of(LambdaErrors.INVALID_PARAMETER_VALUE, "The function resource provided must be an alias or a published version.");
        }
        FunctionRecord latest = lookup.latest(context.accountId(), context.region(), reference);
        version(latest, qualifier);
        return latest;
    }

    /** The version number (or {@code $LATEST}) a version or alias qualifier names; AWS's errors when it does not exist. */
    private String version(FunctionRecord latest, String qualifier) {
        if (VersionOperations.isVersionNumber(qualifier)) {
            long number;
            try {
                number = Long.parseLong(qualifier);
            } catch (NumberFormatException e) {
                number = Long.MAX_VALUE;
            }
            functions.version(latest.accountId(), latest.region(), latest.name(), number)
                    .orElseThrow(() -> LambdaService.notFound(latest.accountId(), latest.region(), latest.name() + ":" + qualifier));
            return qualifier;
        }
        Optional<AliasOperations.Alias> alias = functions.alias(latest.accountId(), latest.region(), latest.name(), qualifier, AliasOperations.Alias.class);
        return alias.map(AliasOperations.Alias::functionVersion).orElseThrow(() -> new AwsException(LambdaErrors.RESOURCE_NOT_FOUND,
                "Cannot find alias arn: " + latest.arn() + ":" + qualifier, Map.of("Type", "User"), null));
    }

    /** How far a configuration is: starting over when its alias routes elsewhere than it was allocated for. */
    private Allocation allocation(FunctionRecord latest, String qualifier) {
        Allocation allocation = worker.allocation(key(latest, qualifier));
        if (VersionOperations.isVersionNumber(qualifier)) {
            return allocation;
        }
        return allocation.of(functions.alias(latest.accountId(), latest.region(), latest.name(), qualifier, AliasOperations.Alias.class)
                .map(ProvisionedConcurrencyWorker::routing).orElse(null));
    }

    private Map<String, Config> configs(FunctionRecord latest) {
        return functions.attachments(Attachment.PROVISIONED_CONCURRENCY, latest.accountId(), latest.region(), latest.name(), Config.class);
    }

    private static ConfigKey key(FunctionRecord latest, String qualifier) {
        return new ConfigKey(latest.accountId(), latest.region(), latest.name(), qualifier);
    }

    @Override
    public void close() {
        worker.close();
    }
}
