package io.stratus.e2e.lambda;

import static io.stratus.e2e.lambda.FunctionUrlIT.JSON;
import static io.stratus.e2e.lambda.FunctionUrlIT.NODE_MIRROR;
import static io.stratus.e2e.lambda.FunctionUrlIT.call;
import static io.stratus.e2e.lambda.FunctionUrlIT.urlId;
import static io.stratus.e2e.lambda.LambdaErrorAssert.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stratus.testkit.Stratus;
import io.stratus.testkit.StratusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Who may call a function URL, as AWS decides for URLs created since October 2025: the function's
 * resource policy must allow both {@code lambda:InvokeFunctionUrl} (for the URL's auth type) and
 * {@code lambda:InvokeFunction} to callers of other accounts (AWS_IAM) or to everyone (NONE); the
 * function's own account needs no statement for an AWS_IAM URL. The owner is 000000000000.
 */
@StratusTest
class FunctionUrlAuthIT {

    static final String FORBIDDEN = "{\"Message\":\"Forbidden. For troubleshooting Function URL authorization issues, see: "
            + "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html\"}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A call signed by {@code account}'s access key (a well-formed signature is taken at its word without --auth sigv4). */
    private static HttpResponse<String> signedBy(Stratus stratus, String id, String account) throws Exception {
        return call(stratus, id, "GET", "/", null, "X-Amz-Date", "20260101T000000Z", "Authorization", authorization(account));
    }

    private static String authorization(String account) {
        return "AWS4-HMAC-SHA256 Credential=" + account + "/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                + "0".repeat(64);
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo(FORBIDDEN);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("AccessDeniedException");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
    }

    /**
     * AddPermission with {@code InvokedViaFunctionUrl}, which SDK 2.35.0 does not know yet: as
     * newer SDKs and the CLI send it, in the owner's account.
     */
    private static HttpResponse<String> addInvokeViaUrl(Stratus stratus, String function, String qualifier, String statementId, String action,
            String principal) throws Exception {
        String body = JSON.createObjectNode().put("StatementId", statementId).put("Action", action).put("Principal", principal)
                .put("InvokedViaFunctionUrl", true).toString();
        String query = qualifier == null ? "" : "?Qualifier=" + qualifier;
        HttpRequest request = HttpRequest.newBuilder(URI.create(stratus.endpoint() + "/2015-03-31/functions/" + function + "/policy" + query))
                .header("Content-Type", "application/json").header("X-Amz-Date", "20260101T000000Z")
                .header("Authorization", authorization("000000000000")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static LambdaClient client(Stratus stratus, String account) {
        return stratus.configure(LambdaClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "test")))
                .build();
    }

    @Test
    void anAwsIamUrlLetsInItsOwnAccountAndTheAccountsThePolicyAllowsBothActions(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "iam-url", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String id = urlId(FunctionUrlIT.create(lambda, "iam-url", FunctionUrlAuthType.AWS_IAM));

        // The owner's account needs no statement (Stratus has no identity policies: they allow everything).
        assertThat(signedBy(stratus, id, "000000000000").statusCode()).isEqualTo(201);
        assertForbidden(signedBy(stratus, id, "222222222222"));

        // lambda:InvokeFunctionUrl alone is not enough any more: lambda:InvokeFunction is needed too.
        lambda.addPermission(r -> r.functionName("iam-url").statementId("partner-url").action("lambda:InvokeFunctionUrl")
                .principal("222222222222").functionUrlAuthType(FunctionUrlAuthType.AWS_IAM));
        assertForbidden(signedBy(stratus, id, "222222222222"));
        HttpResponse<String> added = addInvokeViaUrl(stratus, "iam-url", null, "partner-invoke", "lambda:InvokeFunction", "222222222222");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode statement = JSON.readTree(JSON.readTree(added.body()).get("Statement").asText());
        assertThat(statement.get("Condition").toString()).isEqualTo("{\"Bool\":{\"lambda:InvokedViaFunctionUrl\":\"true\"}}");

        HttpResponse<String> partner = signedBy(stratus, id, "222222222222");
        assertThat(partner.statusCode()).isEqualTo(201);
        JsonNode context = JSON.readTree(partner.body()).get("requestContext");
        assertThat(context.get("accountId").asText()).isEqualTo("222222222222");
        assertThat(context.get("authorizer").get("iam").get("accountId").asText()).isEqualTo("222222222222");
        assertForbidden(signedBy(stratus, id, "333333333333"));

        // The InvokeFunction statement holds only through the URL: Invoke by ARN stays refused.
        try (LambdaClient partnerClient = client(stratus, "222222222222")) {
            assertThatThrownBy(() -> partnerClient.invoke(r -> r.functionName("arn:aws:lambda:us-east-1:000000000000:function:iam-url")))
                    .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }

        // A statement for NONE URLs does not open an AWS_IAM URL.
        lambda.addPermission(r -> r.functionName("iam-url").statementId("third-url").action("lambda:InvokeFunctionUrl")
                .principal("333333333333").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(r -> r.functionName("iam-url").statementId("third-invoke").action("lambda:InvokeFunction").principal("333333333333"));
        assertForbidden(signedBy(stratus, id, "333333333333"));

        // Unsigned callers never get in, whatever the policy says.
        lambda.addPermission(r -> r.functionName("iam-url").statementId("everyone-url").action("lambda:InvokeFunctionUrl").principal("*")
                .functionUrlAuthType(FunctionUrlAuthType.AWS_IAM));
        assertThat(signedBy(stratus, id, "333333333333").statusCode()).isEqualTo(201);
        assertForbidden(call(stratus, id, "GET", "/", null));

        lambda.removePermission(r -> r.functionName("iam-url").statementId("partner-invoke"));
        assertForbidden(signedBy(stratus, id, "222222222222"));
        assertThat(signedBy(stratus, id, "000000000000").statusCode()).isEqualTo(201);
    }

    @Test
    void aNoneUrlAnswersNobodyUntilThePolicyIsPublic(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "open-url", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        String id = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("open-url").authType(FunctionUrlAuthType.NONE)).functionUrl());

        // NONE does not authenticate: even the owner's signed call is anonymous, and nothing allows it yet.
        assertForbidden(call(stratus, id, "GET", "/", null));
        assertForbidden(signedBy(stratus, id, "000000000000"));

        lambda.addPermission(r -> r.functionName("open-url").statementId("FunctionURLAllowPublicAccess").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        assertForbidden(call(stratus, id, "GET", "/", null));
        assertThat(addInvokeViaUrl(stratus, "open-url", null, "FunctionURLAllowInvokeAction", "lambda:InvokeFunction", "*").statusCode())
                .isEqualTo(201);

        HttpResponse<String> anonymous = call(stratus, id, "GET", "/", null);
        assertThat(anonymous.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(anonymous.body()).get("requestContext").get("accountId").asText()).isEqualTo("anonymous");
        assertThat(signedBy(stratus, id, "222222222222").statusCode()).isEqualTo(201);
        String policy = lambda.getPolicy(r -> r.functionName("open-url")).policy();
        assertThat(JSON.readTree(policy).get("Statement").get(1).get("Condition").toString())
                .isEqualTo("{\"Bool\":{\"lambda:InvokedViaFunctionUrl\":\"true\"}}");

        // Switching the URL to AWS_IAM: the NONE statement no longer applies, so only the owner gets in.
        lambda.updateFunctionUrlConfig(r -> r.functionName("open-url").authType(FunctionUrlAuthType.AWS_IAM));
        assertForbidden(signedBy(stratus, id, "222222222222"));
        assertThat(signedBy(stratus, id, "000000000000").statusCode()).isEqualTo(201);
        lambda.updateFunctionUrlConfig(r -> r.functionName("open-url").authType(FunctionUrlAuthType.NONE));
        assertThat(call(stratus, id, "GET", "/", null).statusCode()).isEqualTo(201);

        lambda.removePermission(r -> r.functionName("open-url").statementId("FunctionURLAllowPublicAccess"));
        assertForbidden(call(stratus, id, "GET", "/", null));
    }

    @Test
    void anAliasUrlAsksTheAliasPolicy(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "aliased-url", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        lambda.publishVersion(r -> r.functionName("aliased-url"));
        lambda.createAlias(r -> r.functionName("aliased-url").name("live").functionVersion("1"));
        String id = urlId(lambda.createFunctionUrlConfig(r -> r.functionName("aliased-url").qualifier("live").authType(FunctionUrlAuthType.NONE))
                .functionUrl());

        FunctionUrlIT.allowPublic(lambda, "aliased-url", null);
        assertForbidden(call(stratus, id, "GET", "/", null));
        FunctionUrlIT.allowPublic(lambda, "aliased-url", "live");
        assertThat(call(stratus, id, "GET", "/", null).statusCode()).isEqualTo(201);
    }

    @Test
    void addPermissionTakesTheUrlConditionsOnlyWithTheirActions(LambdaClient lambda, Stratus stratus) throws Exception {
        FunctionZips.create(lambda, "conditions", Runtime.NODEJS20_X, "index.handler", Map.of("index.js", NODE_MIRROR));
        assertError(() -> lambda.addPermission(r -> r.functionName("conditions").statementId("wrong").action("lambda:InvokeFunction").principal("*")
                        .functionUrlAuthType(FunctionUrlAuthType.NONE)),
                "InvalidParameterValueException", 400, "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action");
        HttpResponse<String> wrong = addInvokeViaUrl(stratus, "conditions", null, "wrong", "lambda:InvokeFunctionUrl", "*");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.headers().firstValue("x-amzn-ErrorType").orElse("")).startsWith("InvalidParameterValueException");
        assertError(() -> lambda.getPolicy(r -> r.functionName("conditions")), "ResourceNotFoundException", 404,
                "The resource you requested does not exist.");
    }
}
