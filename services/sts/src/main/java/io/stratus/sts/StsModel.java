package io.stratus.sts;

import java.time.Instant;
import java.util.List;

/** The request and response records of the STS operations, named as AWS names them. */
final class StsModel {

    private StsModel() {}

    record GetCallerIdentityRequest() {}

    record GetCallerIdentityResponse(String userId, String account, String arn) {}

    record Tag(String key, String value) {}

    record PolicyDescriptorType(String arn) {}

    record AssumeRoleRequest(
            String roleArn,
            String roleSessionName,
            Integer durationSeconds,
            String policy,
            List<PolicyDescriptorType> policyArns,
            List<Tag> tags,
            List<String> transitiveTagKeys,
            String externalId,
            String serialNumber,
            String tokenCode,
            String sourceIdentity) {}

    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

    record AssumedRoleUser(String assumedRoleId, String arn) {}

    record AssumeRoleResponse(Credentials credentials, AssumedRoleUser assumedRoleUser, Integer packedPolicySize, String sourceIdentity) {}

    record GetSessionTokenRequest(Integer durationSeconds, String serialNumber, String tokenCode) {}

    record GetSessionTokenResponse(Credentials credentials) {}

    record GetAccessKeyInfoRequest(String accessKeyId) {}

    record GetAccessKeyInfoResponse(String account) {}
}
