package io.stratus.e2e.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Bad input to every SQS operation as raw requests, for the exact AWS error code, status and
 * shape: awsQuery form posts (what the CLI v1 and older SDKs send) answered by
 * {@code <ErrorResponse>} XML, and the awsJson1_0 cases the SDK-driven tests cannot reach (a missing
 * member, a queue that does not exist, per operation), whose {@code x-amzn-query-error} header names
 * the Query code.
 */
@StratusTest
class QueryBadInputIT {

    /** Any host is accepted in a queue URL, so the table can name queues without knowing the port. */
    private static final String QUEUE = "http://localhost/000000000000/bad-input";
    private static final String FIFO = "http://localhost/000000000000/bad-input.fifo";
    private static final String GONE = "http://localhost/000000000000/no-such-queue";
    /** Replaced by the receipt handle of a message held in flight on {@link #QUEUE}. */
    private static final String HANDLE = "{handle}";
    private static final String LARGE_BODY = "x".repeat(600 * 1024);

    private static final Pattern QUERY_ERROR = Pattern.compile(
            "(?:<\\?xml version=\"1\\.0\" encoding=\"UTF-8\"\\?>)?<ErrorResponse xmlns=\"http://queue\\.amazonaws\\.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
                    + "<Code>([^<]+)</Code><Message>([^<]+)</Message>(?:<Detail/>)?</Error><RequestId>([^<]+)</RequestId></ErrorResponse>");

    private static String handle;

    private final HttpClient http = HttpClient.newHttpClient();

    /** An error as AWS's model names it: its awsJson1_0 type, its awsQuery code, its status. */
    enum AwsError {
        MISSING_PARAMETER("MissingRequiredParameterException", "MissingParameter", 400),
        NON_EXISTENT_QUEUE("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400),
        INVALID_PARAMETER_VALUE("InvalidParameterValueException", "InvalidParameterValue", 400),
        INVALID_ATTRIBUTE_NAME("InvalidAttributeName", "InvalidAttributeName", 400),
        INVALID_ATTRIBUTE_VALUE("InvalidAttributeValue", "InvalidAttributeValue", 400),
        INVALID_MESSAGE_CONTENTS("InvalidMessageContents", "InvalidMessageContents", 400),
        EMPTY_BATCH_REQUEST("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400),
        TOO_MANY_ENTRIES_IN_BATCH_REQUEST("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400),
        BATCH_ENTRY_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400),
        INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400),
        BATCH_REQUEST_TOO_LONG("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400),
        RECEIPT_HANDLE_IS_INVALID("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404);

        final String jsonType;
        final String queryCode;
        final int status;

        AwsError(String jsonType, String queryCode, int status) {
            this.jsonType = jsonType;
            this.queryCode = queryCode;
            this.status = status;
        }
    }

    /** One bad awsQuery request: its action and form parameters. */
    record QueryCase(String description, AwsError error, String action, List<String> parameters) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** One bad awsJson1_0 request: its operation and body. */
    record JsonCase(String description, AwsError error, String operation, String body) {
        @Override
        public String toString() {
            return description;
        }
    }

    @BeforeAll
    static void createQueues(SqsClient sqs) {
        sqs.createQueue(r -> r.queueName("bad-input"));
        sqs.createQueue(r -> r.queueName("bad-input.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
        String url = sqs.getQueueUrl(r -> r.queueName("bad-input")).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("held"));
        handle = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(43_200)).messages().getFirst().receiptHandle();
    }

    static Stream<QueryCase> queryCases() {
        return Stream.of(
                // A required parameter left out, per operation.
                query("CreateQueue without QueueName", AwsError.MISSING_PARAMETER, "CreateQueue"),
                query("GetQueueUrl without QueueName", AwsError.MISSING_PARAMETER, "GetQueueUrl"),
                query("GetQueueAttributes without QueueUrl", AwsError.MISSING_PARAMETER, "GetQueueAttributes", "AttributeName.1", "All"),
                query("SetQueueAttributes without attributes", AwsError.MISSING_PARAMETER, "SetQueueAttributes", "QueueUrl", QUEUE),
                query("DeleteQueue without QueueUrl", AwsError.MISSING_PARAMETER, "DeleteQueue"),
                query("PurgeQueue without QueueUrl", AwsError.MISSING_PARAMETER, "PurgeQueue"),
                query("TagQueue without tags", AwsError.MISSING_PARAMETER, "TagQueue", "QueueUrl", QUEUE),
                query("UntagQueue without tag keys", AwsError.MISSING_PARAMETER, "UntagQueue", "QueueUrl", QUEUE),
                query("ListQueueTags without QueueUrl", AwsError.MISSING_PARAMETER, "ListQueueTags"),
                query("ListDeadLetterSourceQueues without QueueUrl", AwsError.MISSING_PARAMETER, "ListDeadLetterSourceQueues"),
                query("SendMessage without MessageBody", AwsError.MISSING_PARAMETER, "SendMessage", "QueueUrl", QUEUE),
                query("SendMessage to a FIFO queue without MessageGroupId", AwsError.MISSING_PARAMETER, "SendMessage",
                        "QueueUrl", FIFO, "MessageBody", "x", "MessageDeduplicationId", "d"),
                query("ReceiveMessage without QueueUrl", AwsError.MISSING_PARAMETER, "ReceiveMessage"),
                query("DeleteMessage without ReceiptHandle", AwsError.MISSING_PARAMETER, "DeleteMessage", "QueueUrl", QUEUE),
                query("ChangeMessageVisibility without ReceiptHandle", AwsError.MISSING_PARAMETER, "ChangeMessageVisibility",
                        "QueueUrl", QUEUE, "VisibilityTimeout", "10"),
                query("ChangeMessageVisibility without VisibilityTimeout", AwsError.MISSING_PARAMETER, "ChangeMessageVisibility",
                        "QueueUrl", QUEUE, "ReceiptHandle", HANDLE),

                // A queue that does not exist, per operation.
                query("GetQueueUrl of no queue", AwsError.NON_EXISTENT_QUEUE, "GetQueueUrl", "QueueName", "no-such-queue"),
                query("GetQueueAttributes of no queue", AwsError.NON_EXISTENT_QUEUE, "GetQueueAttributes", "QueueUrl", GONE, "AttributeName.1", "All"),
                query("SetQueueAttributes of no queue", AwsError.NON_EXISTENT_QUEUE, "SetQueueAttributes",
                        "QueueUrl", GONE, "Attribute.1.Name", "DelaySeconds", "Attribute.1.Value", "1"),
                query("DeleteQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteQueue", "QueueUrl", GONE),
                query("PurgeQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "PurgeQueue", "QueueUrl", GONE),
                query("TagQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "TagQueue", "QueueUrl", GONE, "Tag.1.Key", "k", "Tag.1.Value", "v"),
                query("UntagQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "UntagQueue", "QueueUrl", GONE, "TagKey.1", "k"),
                query("ListQueueTags of no queue", AwsError.NON_EXISTENT_QUEUE, "ListQueueTags", "QueueUrl", GONE),
                query("ListDeadLetterSourceQueues of no queue", AwsError.NON_EXISTENT_QUEUE, "ListDeadLetterSourceQueues", "QueueUrl", GONE),
                query("SendMessage to no queue", AwsError.NON_EXISTENT_QUEUE, "SendMessage", "QueueUrl", GONE, "MessageBody", "x"),
                query("SendMessageBatch to no queue", AwsError.NON_EXISTENT_QUEUE, "SendMessageBatch", "QueueUrl", GONE,
                        "SendMessageBatchRequestEntry.1.Id", "a", "SendMessageBatchRequestEntry.1.MessageBody", "x"),
                query("ReceiveMessage from no queue", AwsError.NON_EXISTENT_QUEUE, "ReceiveMessage", "QueueUrl", GONE),
                query("DeleteMessage on no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteMessage", "QueueUrl", GONE, "ReceiptHandle", HANDLE),
                query("DeleteMessageBatch on no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteMessageBatch", "QueueUrl", GONE,
                        "DeleteMessageBatchRequestEntry.1.Id", "a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle", HANDLE),
                query("ChangeMessageVisibility on no queue", AwsError.NON_EXISTENT_QUEUE, "ChangeMessageVisibility",
                        "QueueUrl", GONE, "ReceiptHandle", HANDLE, "VisibilityTimeout", "10"),
                query("ChangeMessageVisibilityBatch on no queue", AwsError.NON_EXISTENT_QUEUE, "ChangeMessageVisibilityBatch", "QueueUrl", GONE,
                        "ChangeMessageVisibilityBatchRequestEntry.1.Id", "a", "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle", HANDLE,
                        "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout", "10"),

                // Values out of range or of the wrong form.
                query("CreateQueue with a name of forbidden characters", AwsError.INVALID_PARAMETER_VALUE, "CreateQueue", "QueueName", "bad name!"),
                query("CreateQueue with an 81-character name", AwsError.INVALID_PARAMETER_VALUE, "CreateQueue", "QueueName", "q".repeat(81)),
                query("ListQueues with MaxResults 0", AwsError.INVALID_PARAMETER_VALUE, "ListQueues", "MaxResults", "0"),
                query("ListQueues with MaxResults 1001", AwsError.INVALID_PARAMETER_VALUE, "ListQueues", "MaxResults", "1001"),
                query("ListDeadLetterSourceQueues with MaxResults 1001", AwsError.INVALID_PARAMETER_VALUE, "ListDeadLetterSourceQueues",
                        "QueueUrl", QUEUE, "MaxResults", "1001"),
                query("SendMessage with DelaySeconds 901", AwsError.INVALID_PARAMETER_VALUE, "SendMessage",
                        "QueueUrl", QUEUE, "MessageBody", "x", "DelaySeconds", "901"),
                query("SendMessage to a FIFO queue with its own DelaySeconds", AwsError.INVALID_PARAMETER_VALUE, "SendMessage",
                        "QueueUrl", FIFO, "MessageBody", "x", "MessageGroupId", "g", "MessageDeduplicationId", "d", "DelaySeconds", "5"),
                query("SendMessage longer than MaximumMessageSize", AwsError.INVALID_PARAMETER_VALUE, "SendMessage",
                        "QueueUrl", QUEUE, "MessageBody", "x".repeat(262_145)),
                query("SendMessage with a body outside the XML character set", AwsError.INVALID_MESSAGE_CONTENTS, "SendMessage",
                        "QueueUrl", QUEUE, "MessageBody", "a\u0000b"),
                query("ReceiveMessage with MaxNumberOfMessages 0", AwsError.INVALID_PARAMETER_VALUE, "ReceiveMessage",
                        "QueueUrl", QUEUE, "MaxNumberOfMessages", "0"),
                query("ReceiveMessage with MaxNumberOfMessages 11", AwsError.INVALID_PARAMETER_VALUE, "ReceiveMessage",
                        "QueueUrl", QUEUE, "MaxNumberOfMessages", "11"),
                query("ReceiveMessage with WaitTimeSeconds 21", AwsError.INVALID_PARAMETER_VALUE, "ReceiveMessage",
                        "QueueUrl", QUEUE, "WaitTimeSeconds", "21"),
                query("ReceiveMessage with VisibilityTimeout 43201", AwsError.INVALID_PARAMETER_VALUE, "ReceiveMessage",
                        "QueueUrl", QUEUE, "VisibilityTimeout", "43201"),
                query("ChangeMessageVisibility to 43201 seconds", AwsError.INVALID_PARAMETER_VALUE, "ChangeMessageVisibility",
                        "QueueUrl", QUEUE, "ReceiptHandle", HANDLE, "VisibilityTimeout", "43201"),

                // Queue attributes.
                query("CreateQueue with an unknown attribute", AwsError.INVALID_ATTRIBUTE_NAME, "CreateQueue",
                        "QueueName", "colourful", "Attribute.1.Name", "Colour", "Attribute.1.Value", "blue"),
                query("GetQueueAttributes of an unknown attribute", AwsError.INVALID_ATTRIBUTE_NAME, "GetQueueAttributes",
                        "QueueUrl", QUEUE, "AttributeName.1", "Colour"),
                query("SetQueueAttributes of an unknown attribute", AwsError.INVALID_ATTRIBUTE_NAME, "SetQueueAttributes",
                        "QueueUrl", QUEUE, "Attribute.1.Name", "Colour", "Attribute.1.Value", "blue"),
                query("CreateQueue with VisibilityTimeout 43201", AwsError.INVALID_ATTRIBUTE_VALUE, "CreateQueue",
                        "QueueName", "too-hidden", "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "43201"),
                query("SetQueueAttributes with MaximumMessageSize 1023", AwsError.INVALID_ATTRIBUTE_VALUE, "SetQueueAttributes",
                        "QueueUrl", QUEUE, "Attribute.1.Name", "MaximumMessageSize", "Attribute.1.Value", "1023"),

                // Batches as a whole.
                query("SendMessageBatch without entries", AwsError.EMPTY_BATCH_REQUEST, "SendMessageBatch", "QueueUrl", QUEUE),
                query("DeleteMessageBatch without entries", AwsError.EMPTY_BATCH_REQUEST, "DeleteMessageBatch", "QueueUrl", QUEUE),
                query("ChangeMessageVisibilityBatch without entries", AwsError.EMPTY_BATCH_REQUEST, "ChangeMessageVisibilityBatch", "QueueUrl", QUEUE),
                batch("SendMessageBatch of 11 entries", AwsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "SendMessageBatch",
                        ids(11), "MessageBody", "x"),
                batch("DeleteMessageBatch of 11 entries", AwsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "DeleteMessageBatch",
                        ids(11), "ReceiptHandle", HANDLE),
                batch("ChangeMessageVisibilityBatch of 11 entries", AwsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "ChangeMessageVisibilityBatch",
                        ids(11), "ReceiptHandle", HANDLE, "VisibilityTimeout", "10"),
                batch("SendMessageBatch with a repeated Id", AwsError.BATCH_ENTRY_IDS_NOT_DISTINCT, "SendMessageBatch",
                        List.of("same", "same"), "MessageBody", "x"),
                batch("DeleteMessageBatch with a repeated Id", AwsError.BATCH_ENTRY_IDS_NOT_DISTINCT, "DeleteMessageBatch",
                        List.of("same", "same"), "ReceiptHandle", HANDLE),
                batch("ChangeMessageVisibilityBatch with a repeated Id", AwsError.BATCH_ENTRY_IDS_NOT_DISTINCT, "ChangeMessageVisibilityBatch",
                        List.of("same", "same"), "ReceiptHandle", HANDLE, "VisibilityTimeout", "10"),
                batch("SendMessageBatch with an Id of forbidden characters", AwsError.INVALID_BATCH_ENTRY_ID, "SendMessageBatch",
                        List.of("bad id!"), "MessageBody", "x"),
                batch("DeleteMessageBatch with an Id of forbidden characters", AwsError.INVALID_BATCH_ENTRY_ID, "DeleteMessageBatch",
                        List.of("bad id!"), "ReceiptHandle", HANDLE),
                batch("ChangeMessageVisibilityBatch with an Id of forbidden characters", AwsError.INVALID_BATCH_ENTRY_ID,
                        "ChangeMessageVisibilityBatch", List.of("bad id!"), "ReceiptHandle", HANDLE, "VisibilityTimeout", "10"),
                batch("SendMessageBatch of more than 1 MiB in total", AwsError.BATCH_REQUEST_TOO_LONG, "SendMessageBatch",
                        List.of("a", "b"), "MessageBody", LARGE_BODY),

                // Receipt handles no receive handed out.
                query("DeleteMessage with a malformed receipt handle", AwsError.RECEIPT_HANDLE_IS_INVALID, "DeleteMessage",
                        "QueueUrl", QUEUE, "ReceiptHandle", "garbage"),
                query("ChangeMessageVisibility with a malformed receipt handle", AwsError.RECEIPT_HANDLE_IS_INVALID, "ChangeMessageVisibility",
                        "QueueUrl", QUEUE, "ReceiptHandle", "garbage", "VisibilityTimeout", "10"));
    }

    /** AWS answers {@code MissingParameter} "The request must contain the parameter …RequestEntry.1.Id." */
    static Stream<QueryCase> batchEntriesWithoutId() {
        return Stream.of(
                query("SendMessageBatch entry without Id", AwsError.MISSING_PARAMETER, "SendMessageBatch",
                        "QueueUrl", QUEUE, "SendMessageBatchRequestEntry.1.MessageBody", "x"),
                query("DeleteMessageBatch entry without Id", AwsError.MISSING_PARAMETER, "DeleteMessageBatch",
                        "QueueUrl", QUEUE, "DeleteMessageBatchRequestEntry.1.ReceiptHandle", HANDLE),
                query("ChangeMessageVisibilityBatch entry without Id", AwsError.MISSING_PARAMETER, "ChangeMessageVisibilityBatch",
                        "QueueUrl", QUEUE, "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle", HANDLE,
                        "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout", "10"));
    }

    static Stream<JsonCase> jsonCases() {
        return Stream.of(
                json("CreateQueue without QueueName", AwsError.MISSING_PARAMETER, "CreateQueue", "{}"),
                json("GetQueueUrl without QueueName", AwsError.MISSING_PARAMETER, "GetQueueUrl", "{}"),
                json("ReceiveMessage without QueueUrl", AwsError.MISSING_PARAMETER, "ReceiveMessage", "{}"),
                json("SendMessage without MessageBody", AwsError.MISSING_PARAMETER, "SendMessage", "{\"QueueUrl\":\"" + QUEUE + "\"}"),
                json("DeleteMessage without ReceiptHandle", AwsError.MISSING_PARAMETER, "DeleteMessage", "{\"QueueUrl\":\"" + QUEUE + "\"}"),
                json("ChangeMessageVisibility without VisibilityTimeout", AwsError.MISSING_PARAMETER, "ChangeMessageVisibility",
                        "{\"QueueUrl\":\"" + QUEUE + "\",\"ReceiptHandle\":\"" + HANDLE + "\"}"),
                json("TagQueue without tags", AwsError.MISSING_PARAMETER, "TagQueue", "{\"QueueUrl\":\"" + QUEUE + "\"}"),
                json("SendMessage to a FIFO queue without MessageGroupId", AwsError.MISSING_PARAMETER, "SendMessage",
                        "{\"QueueUrl\":\"" + FIFO + "\",\"MessageBody\":\"x\",\"MessageDeduplicationId\":\"d\"}"),
                json("GetQueueAttributes of no queue", AwsError.NON_EXISTENT_QUEUE, "GetQueueAttributes", "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("SetQueueAttributes of no queue", AwsError.NON_EXISTENT_QUEUE, "SetQueueAttributes",
                        "{\"QueueUrl\":\"" + GONE + "\",\"Attributes\":{\"DelaySeconds\":\"1\"}}"),
                json("DeleteQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteQueue", "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("PurgeQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "PurgeQueue", "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("TagQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "TagQueue", "{\"QueueUrl\":\"" + GONE + "\",\"Tags\":{\"k\":\"v\"}}"),
                json("UntagQueue of no queue", AwsError.NON_EXISTENT_QUEUE, "UntagQueue", "{\"QueueUrl\":\"" + GONE + "\",\"TagKeys\":[\"k\"]}"),
                json("ListQueueTags of no queue", AwsError.NON_EXISTENT_QUEUE, "ListQueueTags", "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("ListDeadLetterSourceQueues of no queue", AwsError.NON_EXISTENT_QUEUE, "ListDeadLetterSourceQueues",
                        "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("SendMessage to no queue", AwsError.NON_EXISTENT_QUEUE, "SendMessage", "{\"QueueUrl\":\"" + GONE + "\",\"MessageBody\":\"x\"}"),
                json("SendMessageBatch to no queue", AwsError.NON_EXISTENT_QUEUE, "SendMessageBatch",
                        "{\"QueueUrl\":\"" + GONE + "\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"x\"}]}"),
                json("ReceiveMessage from no queue", AwsError.NON_EXISTENT_QUEUE, "ReceiveMessage", "{\"QueueUrl\":\"" + GONE + "\"}"),
                json("DeleteMessage on no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteMessage",
                        "{\"QueueUrl\":\"" + GONE + "\",\"ReceiptHandle\":\"" + HANDLE + "\"}"),
                json("DeleteMessageBatch on no queue", AwsError.NON_EXISTENT_QUEUE, "DeleteMessageBatch",
                        "{\"QueueUrl\":\"" + GONE + "\",\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"" + HANDLE + "\"}]}"),
                json("ChangeMessageVisibility on no queue", AwsError.NON_EXISTENT_QUEUE, "ChangeMessageVisibility",
                        "{\"QueueUrl\":\"" + GONE + "\",\"ReceiptHandle\":\"" + HANDLE + "\",\"VisibilityTimeout\":10}"),
                json("ChangeMessageVisibilityBatch on no queue", AwsError.NON_EXISTENT_QUEUE, "ChangeMessageVisibilityBatch",
                        "{\"QueueUrl\":\"" + GONE + "\",\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"" + HANDLE + "\",\"VisibilityTimeout\":10}]}"),
                json("DeleteMessageBatch without entries", AwsError.EMPTY_BATCH_REQUEST, "DeleteMessageBatch", "{\"QueueUrl\":\"" + QUEUE + "\"}"),
                json("ChangeMessageVisibilityBatch without entries", AwsError.EMPTY_BATCH_REQUEST, "ChangeMessageVisibilityBatch",
                        "{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":[]}"),
                json("SendMessageBatch of more than 1 MiB in total", AwsError.BATCH_REQUEST_TOO_LONG, "SendMessageBatch",
                        "{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"" + LARGE_BODY + "\"},"
                                + "{\"Id\":\"b\",\"MessageBody\":\"" + LARGE_BODY + "\"}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queryCases")
    void queryRequestFailsWithTheQueryCodeInAnErrorResponse(QueryCase bad, Stratus stratus) throws Exception {
        assertQueryError(bad, stratus);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchEntriesWithoutId")
    void batchEntryWithoutIdIsMissingParameter(QueryCase bad, Stratus stratus) throws Exception {
        assertQueryError(bad, stratus);
    }

    private void assertQueryError(QueryCase bad, Stratus stratus) throws Exception {
        StringBuilder form = new StringBuilder("Action=" + bad.action() + "&Version=2012-11-05");
        for (int i = 0; i < bad.parameters().size(); i += 2) {
            form.append('&').append(bad.parameters().get(i)).append('=')
                    .append(URLEncoder.encode(bad.parameters().get(i + 1).replace(HANDLE, handle), StandardCharsets.UTF_8));
        }

        HttpResponse<String> response = post(stratus, "application/x-www-form-urlencoded", null, form.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.error().status);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/xml");
        Matcher error = QUERY_ERROR.matcher(response.body());
        assertThat(error.matches()).as("an <ErrorResponse> in %s", response.body()).isTrue();
        assertThat(error.group(1)).isEqualTo(bad.error().queryCode);
        if (bad.error() == AwsError.MISSING_PARAMETER) {
            assertThat(error.group(2)).startsWith("The request must contain the parameter ");
        } else {
            assertThat(error.group(2)).isNotBlank();
        }
        assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValue(error.group(3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonCases")
    void jsonRequestFailsWithTheJsonTypeAndTheQueryCodeInItsHeader(JsonCase bad, Stratus stratus) throws Exception {
        HttpResponse<String> response = post(stratus, "application/x-amz-json-1.0", "AmazonSQS." + bad.operation(), bad.body().replace(HANDLE, handle));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.error().status);
        assertThat(response.body()).containsPattern("\"__type\":\"([^\"#]*#)?" + bad.error().jsonType + "\"").contains("\"message\":\"");
        assertThat(response.headers().firstValue("x-amzn-query-error")).hasValue(bad.error().queryCode + ";Sender");
    }

    private HttpResponse<String> post(Stratus stratus, String contentType, String target, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static QueryCase query(String description, AwsError error, String action, String... parameters) {
        return new QueryCase(description, error, action, List.of(parameters));
    }

    /** A batch request on {@link #QUEUE} with one entry per id, each carrying the same fields. */
    private static QueryCase batch(String description, AwsError error, String action, List<String> ids, String... fields) {
        String entry = action + "RequestEntry.";
        List<String> parameters = new ArrayList<>(List.of("QueueUrl", QUEUE));
        for (int n = 1; n <= ids.size(); n++) {
            parameters.addAll(List.of(entry + n + ".Id", ids.get(n - 1)));
            for (int f = 0; f < fields.length; f += 2) {
                parameters.addAll(List.of(entry + n + "." + fields[f], fields[f + 1]));
            }
        }
        return new QueryCase(description, error, action, List.copyOf(parameters));
    }

    private static List<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> "e" + i).toList();
    }

    private static JsonCase json(String description, AwsError error, String operation, String body) {
        return new JsonCase(description, error, operation, body);
    }
}
