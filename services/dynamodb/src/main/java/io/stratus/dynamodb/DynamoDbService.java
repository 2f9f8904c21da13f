package io.stratus.dynamodb;

import static java.util.Objects.requireNonNull;

import io.stratus.core.RequestContext;
import io.stratus.core.spi.ChangeFeed;
import io.stratus.dynamodb.ItemModel.BatchGetItemRequest;
import io.stratus.dynamodb.ItemModel.BatchWriteItemRequest;
import io.stratus.dynamodb.ItemModel.DeleteItemRequest;
import io.stratus.dynamodb.ItemModel.GetItemRequest;
import io.stratus.dynamodb.ItemModel.PutItemRequest;
import io.stratus.dynamodb.ItemModel.QueryRequest;
import io.stratus.dynamodb.ItemModel.ScanRequest;
import io.stratus.dynamodb.ItemModel.TransactGetItemsRequest;
import io.stratus.dynamodb.ItemModel.TransactWriteItemsRequest;
import io.stratus.dynamodb.ItemModel.UpdateItemRequest;
import io.stratus.dynamodb.PartiqlModel.BatchExecuteStatementRequest;
import io.stratus.dynamodb.PartiqlModel.ExecuteStatementRequest;
import io.stratus.dynamodb.PartiqlModel.ExecuteTransactionRequest;
import io.stratus.dynamodb.TableModel.CreateTableRequest;
import io.stratus.dynamodb.TableModel.DescribeEndpointsResponse;
import io.stratus.dynamodb.TableModel.DescribeLimitsResponse;
import io.stratus.dynamodb.TableModel.Empty;
import io.stratus.dynamodb.TableModel.Endpoint;
import io.stratus.dynamodb.TableModel.ListTablesRequest;
import io.stratus.dynamodb.TableModel.ListTagsOfResourceRequest;
import io.stratus.dynamodb.TableModel.TableNameRequest;
import io.stratus.dynamodb.TableModel.TagResourceRequest;
import io.stratus.dynamodb.TableModel.UntagResourceRequest;
import io.stratus.dynamodb.TableModel.UpdateTableRequest;
import io.stratus.dynamodb.TableModel.UpdateTimeToLiveRequest;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Amazon DynamoDB over awsJson1_0 ({@code X-Amz-Target: DynamoDB_20120810.<Operation>}): tables
 * with secondary indexes, items, expressions, queries, scans, batches, transactions and TTL, all
 * kept in the store with one key per item, and the tables' streams, whose API is the second service
 * {@link #streams()}, and PartiQL statements. Responses carry {@code x-amz-crc32}, which DynamoDB's SDKs check. Operations
 * not declared here (backups, global tables, imports and exports) answer the protocol's
 * unknown-operation error. Thread-safe.
 */
public final class DynamoDbService implements StratusService {

    private static final Duration TTL_SWEEP_INTERVAL = Duration.ofSeconds(1);

    private static final Duration STREAM_TRIM_INTERVAL = Duration.ofSeconds(1);

    private final ServiceDefinition definition;
    private final TablePurger purger;
    private final TtlWorker ttlWorker;
    private final StreamTrimmer streamTrimmer;
    private final DynamoDbStreamsService streamsService;
    private final ChangeFeed changeFeed;

    /** With the default settings, as the system properties override them (see {@link DynamoDbSettings#withSystemProperties()}). */
    public DynamoDbService(Store store, Clock clock) {
        this(store, clock, DynamoDbSettings.defaults().withSystemProperties());
    }

    /**
     * @param store where tables and items live
     * @param clock the time of table creation, TTL expiry, stream records and retention, and transaction token windows
     */
    public DynamoDbService(Store store, Clock clock, DynamoDbSettings settings) {
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(settings, "settings is null");
        TableStore tables = new TableStore(store);
        this.purger = new TablePurger(store);
        StreamRecords streams = new StreamRecords(clock);
        this.ttlWorker = new TtlWorker(tables, clock, TTL_SWEEP_INTERVAL, streams);
        this.streamTrimmer = new StreamTrimmer(store, clock, STREAM_TRIM_INTERVAL);
        this.streamsService = new DynamoDbStreamsService(store, clock);
        this.changeFeed = new DynamoDbChangeFeed(store);
        TableOperations tableOperations = new TableOperations(tables, purger, clock);
        ItemWrites writes = new ItemWrites(streams, settings.itemCollectionSizeLimitBytes());
        ItemOperations items = new ItemOperations(tables, writes);
        ReadOperations reads = new ReadOperations(tables);
        BatchOperations batches = new BatchOperations(tables, writes);
        TransactOperations transactions = new TransactOperations(tables, clock, writes);
        PartiqlOperations partiql = new PartiqlOperations(tables, writes, reads, transactions);
        TimeToLive timeToLive = new TimeToLive(tables);
        Tagging tagging = new Tagging(tables);
        this.definition = ServiceDefinition.builder("dynamodb")
                .protocol(Protocol.AWS_JSON_1_0)
                .targetPrefix("DynamoDB_20120810")
                .errorNamespace("com.amazonaws.dynamodb.v20120810")
                .crc32Header()
                .operation("CreateTable", CreateTableRequest.class, tableOperations::createTable)
                .operation("DescribeTable", TableNameRequest.class, tableOperations::describeTable)
                .operation("ListTables", ListTablesRequest.class, tableOperations::listTables)
                .operation("UpdateTable", UpdateTableRequest.class, tableOperations::updateTable)
                .operation("DeleteTable", TableNameRequest.class, tableOperations::deleteTable)
                .operation("PutItem", PutItemRequest.class, items::putItem)
                .operation("GetItem", GetItemRequest.class, items::getItem)
                .operation("UpdateItem", UpdateItemRequest.class, items::updateItem)
                .operation("DeleteItem", DeleteItemRequest.class, items::deleteItem)
                .operation("Query", QueryRequest.class, reads::query)
                .operation("Scan", ScanRequest.class, reads::scan)
                .operation("BatchGetItem", BatchGetItemRequest.class, batches::batchGetItem)
                .operation("BatchWriteItem", BatchWriteItemRequest.class, batches::batchWriteItem)
                .operation("TransactWriteItems", TransactWriteItemsRequest.class, transactions::transactWriteItems)
                .operation("TransactGetItems", TransactGetItemsRequest.class, transactions::transactGetItems)
                .operation("ExecuteStatement", ExecuteStatementRequest.class, partiql::executeStatement)
                .operation("BatchExecuteStatement", BatchExecuteStatementRequest.class, partiql::batchExecuteStatement)
                .operation("ExecuteTransaction", ExecuteTransactionRequest.class, partiql::executeTransaction)
                .operation("UpdateTimeToLive", UpdateTimeToLiveRequest.class, timeToLive::updateTimeToLive)
                .operation("DescribeTimeToLive", TableNameRequest.class, timeToLive::describeTimeToLive)
                .operation("TagResource", TagResourceRequest.class, tagging::tagResource)
                .operation("UntagResource", UntagResourceRequest.class, tagging::untagResource)
                .operation("ListTagsOfResource", ListTagsOfResourceRequest.class, tagging::listTagsOfResource)
                .operation("DescribeEndpoints", Empty.class, DynamoDbService::describeEndpoints)
                .operation("DescribeLimits", Empty.class, DynamoDbService::describeLimits)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    /**
     * The DynamoDB Streams API over this service's tables, a second service for the server to run
     * ({@code X-Amz-Target: DynamoDBStreams_20120810.<Operation>}).
     */
    public DynamoDbStreamsService streams() {
        return streamsService;
    }

    /** The tables' streams as a change feed, for Lambda's event source mappings. */
    public ChangeFeed changeFeed() {
        return changeFeed;
    }

    @Override
    public void start() {
        purger.resume();
        ttlWorker.start();
        streamTrimmer.start();
    }

    @Override
    public void close() {
        streamTrimmer.close();
        ttlWorker.close();
        purger.close();
    }

    private static DescribeEndpointsResponse describeEndpoints(RequestContext context, Empty request) {
        return new DescribeEndpointsResponse(List.of(new Endpoint("dynamodb." + context.region() + ".amazonaws.com", 1440L)));
    }

    /** AWS's default account and table quotas. */
    private static DescribeLimitsResponse describeLimits(RequestContext context, Empty request) {
        return new DescribeLimitsResponse(80_000L, 80_000L, 40_000L, 40_000L);
    }
}
