package io.stratus.events;

import static java.util.Objects.requireNonNull;

import io.stratus.core.spi.EventBus;
import io.stratus.core.spi.Targets;
import io.stratus.events.EventsModel.CreateEventBusRequest;
import io.stratus.events.EventsModel.DeleteRuleRequest;
import io.stratus.events.EventsModel.ListEventBusesRequest;
import io.stratus.events.EventsModel.ListRuleNamesByTargetRequest;
import io.stratus.events.EventsModel.ListRulesRequest;
import io.stratus.events.EventsModel.ListTagsForResourceRequest;
import io.stratus.events.EventsModel.ListTargetsByRuleRequest;
import io.stratus.events.EventsModel.NameRequest;
import io.stratus.events.EventsModel.PutEventsRequest;
import io.stratus.events.EventsModel.PutPermissionRequest;
import io.stratus.events.EventsModel.PutRuleRequest;
import io.stratus.events.EventsModel.PutTargetsRequest;
import io.stratus.events.EventsModel.RemovePermissionRequest;
import io.stratus.events.EventsModel.RemoveTargetsRequest;
import io.stratus.events.EventsModel.RuleRequest;
import io.stratus.events.EventsModel.TagResourceRequest;
import io.stratus.events.EventsModel.TestEventPatternRequest;
import io.stratus.events.EventsModel.UntagResourceRequest;
import io.stratus.core.AwsException;
import io.stratus.protocol.OperationHandler;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.storage.Store;
import io.stratus.storage.StoreConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Amazon EventBridge over awsJson1_1 ({@code X-Amz-Target: AWSEvents.<Operation>}): event buses
 * with resource policies, rules with event patterns (event-ruler) or schedules, targets (SQS,
 * Lambda, SNS, other buses) with input transformation, retry policies and dead-letter queues, and
 * PutEvents. Deliveries are durable: they are stored with the put that acknowledges their event
 * and made by a background sender. Operations not declared here (archives, replays, connections,
 * API destinations, endpoints, partner sources) answer the protocol's unknown-operation error.
 * Other services put events through {@link #buses()}. Thread-safe.
 */
public final class EventsService implements StratusService {

    /** The system property that sets the delay before a failed delivery's first retry (ISO-8601, e.g. {@code PT0.1S}). */
    public static final String RETRY_DELAY_PROPERTY = "stratus.events.retryDelay";
    /** The delay before a failed delivery's first retry; each later one doubles it, up to ten minutes. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(10);

    private final ServiceDefinition definition;
    private final EventOperations events;
    private final Deliveries deliveries;
    private final ScheduleWorker schedules;

    /**
     * @param store where buses, rules and pending deliveries live
     * @param clock the time of events, schedules and retries
     * @param targets where rules deliver
     * @param retryDelay the delay before a failed delivery's first retry
     */
    public EventsService(Store store, Clock clock, Targets targets, Duration retryDelay) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(targets, "targets is null");
        EventStore events = new EventStore(store);
        this.deliveries = new Deliveries(events, targets, clock, retryDelay);
        EventRouting routing = new EventRouting(deliveries);
        this.events = new EventOperations(events, routing, deliveries, clock);
        this.schedules = new ScheduleWorker(events, routing, deliveries, clock);
        BusOperations buses = new BusOperations(events, clock);
        RuleOperations rules = new RuleOperations(events, clock);
        TargetOperations ruleTargets = new TargetOperations(events);
        TagOperations tags = new TagOperations(events);
        this.definition = ServiceDefinition.builder("events")
                .protocol(Protocol.AWS_JSON_1_1)
                .targetPrefix("AWSEvents")
                .naming(MemberNaming.PASCAL_CASE)
                .operation("CreateEventBus", CreateEventBusRequest.class, concurrent(buses::createEventBus))
                .operation("DeleteEventBus", NameRequest.class, concurrent(buses::deleteEventBus))
                .operation("DescribeEventBus", NameRequest.class, concurrent(buses::describeEventBus))
                .operation("ListEventBuses", ListEventBusesRequest.class, concurrent(buses::listEventBuses))
                .operation("PutPermission", PutPermissionRequest.class, concurrent(buses::putPermission))
                .operation("RemovePermission", RemovePermissionRequest.class, concurrent(buses::removePermission))
                .operation("PutRule", PutRuleRequest.class, concurrent(rules::putRule))
                .operation("DescribeRule", RuleRequest.class, concurrent(rules::describeRule))
                .operation("DeleteRule", DeleteRuleRequest.class, concurrent(rules::deleteRule))
                .operation("ListRules", ListRulesRequest.class, concurrent(rules::listRules))
                .operation("EnableRule", RuleRequest.class, concurrent(rules::enableRule))
                .operation("DisableRule", RuleRequest.class, concurrent(rules::disableRule))
                .operation("PutTargets", PutTargetsRequest.class, concurrent(ruleTargets::putTargets))
                .operation("RemoveTargets", RemoveTargetsRequest.class, concurrent(ruleTargets::removeTargets))
                .operation("ListTargetsByRule", ListTargetsByRuleRequest.class, concurrent(ruleTargets::listTargetsByRule))
                .operation("ListRuleNamesByTarget", ListRuleNamesByTargetRequest.class, concurrent(ruleTargets::listRuleNamesByTarget))
                .operation("PutEvents", PutEventsRequest.class, concurrent(this.events::putEvents))
                .operation("TestEventPattern", TestEventPatternRequest.class, concurrent(this.events::testEventPattern))
                .operation("TagResource", TagResourceRequest.class, concurrent(tags::tagResource))
                .operation("UntagResource", UntagResourceRequest.class, concurrent(tags::untagResource))
                .operation("ListTagsForResource", ListTagsForResourceRequest.class, concurrent(tags::listTagsForResource))
                .build();
    }

    /**
     * The handler, with a commit that kept conflicting with concurrent writers answered as AWS
     * answers it: {@code ConcurrentModificationException}, for the client to retry.
     */
    private static <I, O> OperationHandler<I, O> concurrent(OperationHandler<I, O> handler) {
        return (context, input) -> {
            try {
                return handler.handle(context, input);
            } catch (StoreConflictException e) {
                throw new AwsException(EventsErrors.CONCURRENT_MODIFICATION,
                        "Another request changed this resource at the same time; retry the request.", e);
            }
        };
    }

    /**
     * The retry delay the {@value #RETRY_DELAY_PROPERTY} system property sets, else {@link #DEFAULT_RETRY_DELAY}.
     *
     * @throws IllegalArgumentException when the property is not a non-negative ISO-8601 duration
     */
    public static Duration retryDelayFromSystemProperties() {
        String value = System.getProperty(RETRY_DELAY_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_DELAY;
        }
        try {
            Duration delay = Duration.parse(value.trim());
            if (delay.isNegative()) {
                throw new IllegalArgumentException(RETRY_DELAY_PROPERTY + " must not be negative: " + value);
            }
            return delay;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(RETRY_DELAY_PROPERTY + " is not an ISO-8601 duration such as PT1S: " + value, e);
        }
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    /** How other services put events on buses. */
    public EventBus buses() {
        return events;
    }

    @Override
    public void start() {
        deliveries.start();
        schedules.start();
    }

    @Override
    public void close() {
        schedules.close();
        deliveries.close();
    }
}
