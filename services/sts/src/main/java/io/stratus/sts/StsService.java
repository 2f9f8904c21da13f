package io.stratus.sts;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Accounts;
import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.Ids;
import io.stratus.core.Principal;
import io.stratus.core.RequestContext;
import io.stratus.core.spi.CredentialResolver;
import io.stratus.core.spi.RoleSessions;
import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.StratusService;
import io.stratus.storage.Store;
import io.stratus.sts.SessionStore.Session;
import io.stratus.sts.StsModel.AssumeRoleRequest;
import io.stratus.sts.StsModel.AssumeRoleResponse;
import io.stratus.sts.StsModel.AssumedRoleUser;
import io.stratus.sts.StsModel.GetAccessKeyInfoRequest;
import io.stratus.sts.StsModel.GetAccessKeyInfoResponse;
import io.stratus.sts.StsModel.GetCallerIdentityRequest;
import io.stratus.sts.StsModel.GetCallerIdentityResponse;
import io.stratus.sts.StsModel.GetSessionTokenRequest;
import io.stratus.sts.StsModel.GetSessionTokenResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * AWS Security Token Service: who am I, and temporary credentials. Issued credentials are kept in
 * the store and resolved by the edge ({@link CredentialResolver}), so calls made with them act as
 * the assumed role in the role's account. Thread-safe.
 */
public final class StsService implements StratusService, CredentialResolver, RoleSessions {

    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Duration ROOT_SESSION_LIMIT = Duration.ofHours(1);

    private final SessionStore sessions;
    private final Clock clock;
    private final ServiceDefinition definition;

    public StsService(Store store, Clock clock) {
        this.sessions = new SessionStore(requireNonNull(store, "store is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.definition = ServiceDefinition.builder("sts")
                .protocol(Protocol.AWS_QUERY)
                .protocol(Protocol.AWS_JSON_1_0)
                .queryVersion("2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/")
                .targetPrefix("AWSSecurityTokenServiceV20110615")
                .operation("GetCallerIdentity", GetCallerIdentityRequest.class, this::getCallerIdentity)
                .operation("AssumeRole", AssumeRoleRequest.class, this::assumeRole)
                .operation("GetSessionToken", GetSessionTokenRequest.class, this::getSessionToken)
                .operation("GetAccessKeyInfo", GetAccessKeyInfoRequest.class, this::getAccessKeyInfo)
                .build();
    }

    @Override
    public ServiceDefinition definition() {
        return definition;
    }

    GetCallerIdentityResponse getCallerIdentity(RequestContext context, GetCallerIdentityRequest request) {
        Principal principal = context.principal();
        return new GetCallerIdentityResponse(principal.userId(), principal.accountId(), principal.arn());
    }

    AssumeRoleResponse assumeRole(RequestContext context, AssumeRoleRequest request) {
        String roleArn = required(request.roleArn(), "roleArn");
        String sessionName = required(request.roleSessionName(), "roleSessionName");
        if (roleArn.length() < 20 || roleArn.length() > 2048) {
            throw invalid(roleArn, "roleArn", "Member must have length between 20 and 2048");
        }
        if (sessionName.length() < 2 || sessionName.length() > 64) {
            throw invalid(sessionName, "roleSessionName", "Member must have length between 2 and 64");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw invalid(sessionName, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw AwsException.of(StsErrors.VALIDATION_ERROR, "%s is invalid", roleArn);
        }
        Duration duration = duration(request.durationSeconds(), 900, 43_200, 3_600);
        Principal principal = rolePrincipal(roleArn, sessionName);
        Integer packedPolicySize = packedPolicySize(request);
        StsModel.Credentials credentials = issue(principal, duration);
        return new AssumeRoleResponse(credentials, new AssumedRoleUser(principal.userId(), principal.arn()),
                packedPolicySize, request.sourceIdentity());
    }

    /** Who a session of the role is: {@code arn:aws:sts::<account>:assumed-role/<role name>/<session>}. */
    private static Principal rolePrincipal(String roleArn, String sessionName) {
        Arn role = Arn.parse(roleArn);
        String roleName = role.resource().substring(role.resource().lastIndexOf('/') + 1);
        String roleId = "AROA" + Ids.upperAlphanumeric(17);
        return new Principal(role.accountId(), roleId + ":" + sessionName,
                "arn:aws:sts::" + role.accountId() + ":assumed-role/" + roleName + "/" + sessionName);
    }

    /** A session for another service (Lambda's execution roles): as AssumeRole, without a caller. */
    @Override
    public Optional<RoleSessions.Credentials> assume(String roleArn, String sessionName, Duration duration) {
        if (!ROLE_ARN.matcher(roleArn).matches() || sessionName.length() < 2 || sessionName.length() > 64
                || !SESSION_NAME.matcher(sessionName).matches()) {
            return Optional.empty();
        }
        StsModel.Credentials issued = issue(rolePrincipal(roleArn, sessionName), duration);
        return Optional.of(new RoleSessions.Credentials(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken(), issued.expiration()));
    }

    /**
     * How full the session's packed policy is, in percent, as AWS reports it when a session policy
     * or tags are passed. AWS does not publish its packing; Stratus counts the inline policy's
     * characters against 2048 and the tags against 50, together, so a large policy with many tags
     * is {@code PackedPolicyTooLarge} as on AWS while each alone stays within its own limit.
     */
    private static Integer packedPolicySize(AssumeRoleRequest request) {
        List<StsModel.Tag> tags = request.tags() == null ? List.of() : request.tags();
        List<StsModel.PolicyDescriptorType> arns = request.policyArns() == null ? List.of() : request.policyArns();
        if (request.policy() == null && tags.isEmpty() && arns.isEmpty()) {
            return null;
        }
        if (tags.size() > 50) {
            throw invalid(String.valueOf(tags.size()), "tags", "Member must have length less than or equal to 50");
        }
        if (arns.size() > 10) {
            throw invalid(String.valueOf(arns.size()), "policyArns", "Member must have length less than or equal to 10");
        }
        if (request.policy() != null && (request.policy().isEmpty() || request.policy().length() > 2048)) {
            throw invalid("policy", "policy", "Member must have length between 1 and 2048");
        }
        int policyChars = request.policy() == null ? 0 : request.policy().replaceAll("\\s+", "").length();
        int percent = (int) Math.ceil(policyChars * 100.0 / 2048 + tags.size() * 100.0 / 50);
        if (percent > 100) {
            throw AwsException.of(StsErrors.PACKED_POLICY_TOO_LARGE,
                    "Packed size of the session policy and session tags exceeds the limit: %d%% of the allowed size.", percent);
        }
        return percent;
    }

    GetSessionTokenResponse getSessionToken(RequestContext context, GetSessionTokenRequest request) {
        if (context.accessKeyId() != null && resolve(context.accessKeyId()).isPresent()) {
            throw AwsException.of(StsErrors.ACCESS_DENIED, "Cannot call GetSessionToken with session credentials");
        }
        Duration duration = duration(request.durationSeconds(), 900, 129_600, 43_200);
        // Every caller Stratus does not issue credentials to is an account's root user, whose
        // sessions AWS caps at one hour (and defaults to it).
        if (duration.compareTo(ROOT_SESSION_LIMIT) > 0) {
            duration = ROOT_SESSION_LIMIT;
        }
        return new GetSessionTokenResponse(issue(context.principal(), duration));
    }

    GetAccessKeyInfoResponse getAccessKeyInfo(RequestContext context, GetAccessKeyInfoRequest request) {
        String accessKeyId = required(request.accessKeyId(), "accessKeyId");
        if (accessKeyId.length() < 16 || accessKeyId.length() > 128) {
            throw invalid(accessKeyId, "accessKeyId", "Member must have length between 16 and 128");
        }
        String account = resolve(accessKeyId).map(c -> c.principal().accountId()).orElse(Accounts.accountFor(accessKeyId));
        return new GetAccessKeyInfoResponse(account);
    }

    @Override
    public Optional<IssuedCredentials> resolve(String accessKeyId) {
        if (accessKeyId == null || !accessKeyId.startsWith("ASIA")) {
            return Optional.empty();
        }
        return sessions.get(accessKeyId)
                .map(session -> new IssuedCredentials(session.principal(), session.secretAccessKey(), session.sessionToken(), session.expiration()));
    }

    private StsModel.Credentials issue(Principal principal, Duration duration) {
        String accessKeyId = "ASIA" + Ids.upperAlphanumeric(16);
        String secret = Base64.getEncoder().withoutPadding().encodeToString(randomBytes(30));
        String token = Base64.getEncoder().encodeToString(randomBytes(96));
        Instant expiration = clock.instant().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        sessions.put(new Session(accessKeyId, secret, token, expiration, principal));
        return new StsModel.Credentials(accessKeyId, secret, token, expiration);
    }

    private static Duration duration(Integer seconds, int min, int max, int defaultSeconds) {
        if (seconds == null) {
            return Duration.ofSeconds(defaultSeconds);
        }
        if (seconds < min) {
            throw invalid(String.valueOf(seconds), "durationSeconds", "Member must have value greater than or equal to " + min);
        }
        if (seconds > max) {
            throw invalid(String.valueOf(seconds), "durationSeconds", "Member must have value less than or equal to " + max);
        }
        return Duration.ofSeconds(seconds);
    }

    private static String required(String value, String member) {
        if (value == null) {
            throw AwsException.of(StsErrors.VALIDATION_ERROR,
                    "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member);
        }
        return value;
    }

    private static AwsException invalid(String value, String member, String constraint) {
        return AwsException.of(StsErrors.VALIDATION_ERROR,
                "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
