package io.stratus.s3;

import static java.util.Objects.requireNonNull;

import io.stratus.core.AwsException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An access control list, as S3 keeps one for a bucket and for an object version while the
 * bucket's Object Ownership lets ACLs apply ({@code ObjectWriter}, {@code BucketOwnerPreferred}):
 * whose the resource is, and up to 100 grants of a permission to a canonical user or to one of
 * S3's groups. Written as a canned ACL ({@code x-amz-acl}), as {@code x-amz-grant-*} headers, or
 * as an {@code AccessControlPolicy} document; read back as that document.
 *
 * @param owner the owning account
 * @param grants the grants, in the order they were given
 */
record Acl(String owner, List<Grant> grants) {

    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    private static final Set<String> GROUPS = Set.of(ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY);
    /** S3's limit on the grants of one ACL. */
    static final int MAX_GRANTS = 100;
    private static final Pattern CANONICAL_ID = Pattern.compile("[0-9a-f]{64}");
    /** One grantee of an {@code x-amz-grant-*} header: {@code id="…"}, {@code uri="…"} or {@code emailAddress="…"}. */
    private static final Pattern HEADER_GRANTEE = Pattern.compile("\\s*(id|uri|emailAddress)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]*))\\s*(?:,|$)");
    private static final Pattern XSI_TYPE = Pattern.compile("CanonicalUser|Group|AmazonCustomerByEmail");

    /** What a grant lets its grantee do; {@code FULL_CONTROL} is all four. */
    enum Permission {
        READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL;

        /** The {@code x-amz-grant-*} header of this permission, without the prefix. */
        String header() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean includes(Permission asked) {
            return this == FULL_CONTROL || this == asked;
        }
    }

    /**
     * One grant.
     *
     * @param group whether the grantee is one of S3's groups (its URI in {@code grantee}) rather than a
     *     canonical user (its id in {@code grantee})
     */
    record Grant(boolean group, String grantee, Permission permission) {
        Grant {
            requireNonNull(grantee, "grantee is null");
            requireNonNull(permission, "permission is null");
        }

        static Grant user(String account, Permission permission) {
            return new Grant(false, BucketOperations.owner(account).id(), permission);
        }

        /** Whether the grantee is everyone, or everyone with AWS credentials: what makes an ACL public. */
        boolean publicGrant() {
            return group && (grantee.equals(ALL_USERS) || grantee.equals(AUTHENTICATED_USERS));
        }
    }

    Acl {
        requireNonNull(owner, "owner is null");
        grants = List.copyOf(grants);
    }

    /** The default ACL: the owner's full control, nobody else's. */
    static Acl privateTo(String owner) {
        return new Acl(owner, List.of(Grant.user(owner, Permission.FULL_CONTROL)));
    }

    /**
     * A canned ACL, as S3 expands it for a resource of {@code owner} in a bucket of {@code bucketOwner}
     * (the same account for a bucket, where the two {@code bucket-owner-*} ACLs give nothing more).
     *
     * @throws AwsException {@code InvalidArgument} for a name S3 does not know; {@code NotImplemented}
     *     for {@code aws-exec-read}, whose grantee is EC2's own account
     */
    static Acl canned(String name, String owner, String bucketOwner) {
        List<Grant> grants = new ArrayList<>(List.of(Grant.user(owner, Permission.FULL_CONTROL)));
        switch (name) {
            case "private" -> { }
            case "public-read" -> grants.add(new Grant(true, ALL_USERS, Permission.READ));
            case "public-read-write" -> {
                grants.add(new Grant(true, ALL_USERS, Permission.READ));
                grants.add(new Grant(true, ALL_USERS, Permission.WRITE));
            }
            case "authenticated-read" -> grants.add(new Grant(true, AUTHENTICATED_USERS, Permission.READ));
            case "log-delivery-write" -> {
                grants.add(new Grant(true, LOG_DELIVERY, Permission.WRITE));
                grants.add(new Grant(true, LOG_DELIVERY, Permission.READ_ACP));
            }
            case "bucket-owner-read" -> {
                if (!bucketOwner.equals(owner)) {
                    grants.add(Grant.user(bucketOwner, Permission.READ));
                }
            }
            case "bucket-owner-full-control" -> {
                if (!bucketOwner.equals(owner)) {
                    grants.add(Grant.user(bucketOwner, Permission.FULL_CONTROL));
                }
            }
            case "aws-exec-read" -> throw AwsException.of(io.stratus.core.CommonErrors.NOT_IMPLEMENTED,
                    "The aws-exec-read canned ACL is not implemented in Stratus yet.");
            default -> throw S3Errors.invalidArgument("", "x-amz-acl", name);
        }
        return new Acl(owner, grants);
    }

    /**
     * The ACL of {@code x-amz-grant-*} headers (keyed by the name after the prefix): each a
     * comma-separated list of {@code id="…"}, {@code uri="…"} or {@code emailAddress="…"} grantees.
     *
     * @throws AwsException {@code InvalidArgument} for an unreadable header, an unknown group or a
     *     malformed canonical id; {@code UnresolvableGrantByEmailAddress} for an email grantee (no
     *     Stratus account has an email address)
     */
    static Acl ofHeaders(Map<String, String> headers, String owner) {
        List<Grant> grants = new ArrayList<>();
        for (Permission permission : Permission.values()) {
            String header = headers.get(permission.header());
            if (header == null) {
                continue;
            }
            Matcher grantee = HEADER_GRANTEE.matcher(header);
            int at = 0;
            while (at < header.length()) {
                if (!grantee.find(at) || grantee.start() != at) {
                    throw S3Errors.invalidArgument("", "x-amz-grant-" + permission.header(), header);
                }
                String value = grantee.group(2) != null ? grantee.group(2) : grantee.group(3);
                grants.add(grant(grantee.group(1), value, permission));
                at = grantee.end();
            }
        }
        return new Acl(owner, limited(grants));
    }

    private static Grant grant(String type, String value, Permission permission) {
        return switch (type) {
            case "id" -> {
                if (!CANONICAL_ID.matcher(value).matches()) {
                    throw S3Errors.invalidArgument("Invalid id", "CanonicalUser/ID", value);
                }
                yield new Grant(false, value, permission);
            }
            case "uri" -> {
                if (!GROUPS.contains(value)) {
                    throw S3Errors.invalidArgument("Invalid group uri", "Group/URI", value);
                }
                yield new Grant(true, value, permission);
            }
            default -> throw AwsException.of(S3Errors.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS,
                    "The e-mail address you provided does not match any account on record.");
        };
    }

    /**
     * The ACL of an {@code AccessControlPolicy} document, owned by {@code owner} (the document's own
     * {@code Owner}, which S3 requires, must name the same canonical user).
     *
     * @throws AwsException {@code MalformedACLError} for a document S3's schema does not take;
     *     {@code InvalidArgument} and {@code UnresolvableGrantByEmailAddress} as for headers
     */
    static Acl parse(byte[] document, String owner) {
        org.w3c.dom.Element root;
        try {
            root = XmlDocuments.root(document, "AccessControlPolicy");
        } catch (AwsException e) {
            throw malformed();
        }
        org.w3c.dom.Element ownerElement = XmlDocuments.child(root, "Owner");
        String ownerId = ownerElement == null ? null : XmlDocuments.text(ownerElement, "ID");
        if (ownerId == null) {
            throw malformed();
        }
        if (!ownerId.equals(BucketOperations.owner(owner).id())) {
            throw AwsException.of(S3Errors.ACCESS_DENIED, "Access Denied");
        }
        org.w3c.dom.Element list = XmlDocuments.child(root, "AccessControlList");
        List<Grant> grants = new ArrayList<>();
        for (org.w3c.dom.Node node = list == null ? null : list.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof org.w3c.dom.Element element)) {
                continue;
            }
            if (!element.getLocalName().equals("Grant")) {
                throw malformed();
            }
            org.w3c.dom.Element grantee = XmlDocuments.child(element, "Grantee");
            String permission = XmlDocuments.text(element, "Permission");
            String type = grantee == null ? null : grantee.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type");
            if (permission == null || type == null || !XSI_TYPE.matcher(type).matches()
                    || Set.of(Permission.values()).stream().noneMatch(p -> p.name().equals(permission))) {
                throw malformed();
            }
            String value = switch (type) {
                case "CanonicalUser" -> XmlDocuments.text(grantee, "ID");
                case "Group" -> XmlDocuments.text(grantee, "URI");
                default -> XmlDocuments.text(grantee, "EmailAddress");
            };
            if (value == null) {
                throw malformed();
            }
            grants.add(grant(switch (type) {
                case "CanonicalUser" -> "id";
                case "Group" -> "uri";
                default -> "emailAddress";
            }, value, Permission.valueOf(permission)));
        }
        return new Acl(owner, limited(grants));
    }

    private static List<Grant> limited(List<Grant> grants) {
        List<Grant> distinct = List.copyOf(new LinkedHashSet<>(grants));
        if (distinct.size() > MAX_GRANTS) {
            throw AwsException.of(S3Errors.MALFORMED_ACL_ERROR, "The request contains more than %d grants.", MAX_GRANTS);
        }
        return distinct;
    }

    private static AwsException malformed() {
        return AwsException.of(S3Errors.MALFORMED_ACL_ERROR, "The XML you provided was not well-formed or did not validate against our published schema");
    }

    /** Whether a grant lets everyone, or everyone with AWS credentials, in (S3's test of a public ACL). */
    boolean grantsPublic() {
        return grants.stream().anyMatch(Grant::publicGrant);
    }

    /** Whether the ACL gives no one but its owner anything (the default). */
    boolean grantsOnlyOwner() {
        String id = BucketOperations.owner(owner).id();
        return grants.stream().allMatch(grant -> !grant.group() && grant.grantee().equals(id));
    }

    /**
     * Whether the ACL lets a caller {@code asked}.
     *
     * @param account the caller's account, or null for an anonymous caller
     * @param ignorePublic whether grants to everyone are ignored (Block Public Access's {@code IgnorePublicAcls})
     */
    boolean allows(String account, Permission asked, boolean ignorePublic) {
        String id = account == null ? null : BucketOperations.owner(account).id();
        for (Grant grant : grants) {
            if (!grant.permission().includes(asked) || ignorePublic && grant.publicGrant()) {
                continue;
            }
            boolean matches = grant.group()
                    ? grant.grantee().equals(ALL_USERS) || grant.grantee().equals(AUTHENTICATED_USERS) && account != null
                    : grant.grantee().equals(id);
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** Whether S3's log delivery group may write (a target bucket's {@code log-delivery-write}). */
    boolean allowsLogDelivery() {
        return grants.stream().anyMatch(grant -> grant.group() && grant.grantee().equals(LOG_DELIVERY) && grant.permission().includes(Permission.WRITE));
    }

    /** The {@code AccessControlPolicy} document GetBucketAcl and GetObjectAcl answer. */
    byte[] document() {
        BucketModel.Owner ownerId = BucketOperations.owner(owner);
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessControlPolicy xmlns=\"")
                .append(S3Service.XML_NAMESPACE).append("\"><Owner><ID>").append(ownerId.id()).append("</ID><DisplayName>")
                .append(ownerId.displayName()).append("</DisplayName></Owner><AccessControlList>");
        for (Grant grant : grants) {
            xml.append("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"");
            if (grant.group()) {
                xml.append("Group\"><URI>").append(grant.grantee()).append("</URI>");
            } else {
                xml.append("CanonicalUser\"><ID>").append(grant.grantee()).append("</ID>");
                if (grant.grantee().equals(ownerId.id())) {
                    xml.append("<DisplayName>").append(ownerId.displayName()).append("</DisplayName>");
                }
            }
            xml.append("</Grantee><Permission>").append(grant.permission()).append("</Permission></Grant>");
        }
        return xml.append("</AccessControlList></AccessControlPolicy>").toString().getBytes(StandardCharsets.UTF_8);
    }
}
