package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A bucket's website configuration, checked as S3 checks it: an index document suffix (with an
 * optional error document and routing rules), or a redirect of every request to another host.
 * Immutable.
 *
 * @param indexSuffix what a request for a "folder" ({@code /} or {@code /docs/}) serves from it, e.g. {@code index.html}; null with {@code redirectAll}
 * @param errorKey the object served (with the error's status) for a 4xx error, or null
 * @param redirectAll where every request goes instead, or null
 * @param routingRules redirects by key prefix or error code, in order
 */
record Website(String indexSuffix, String errorKey, Redirect redirectAll, List<RoutingRule> routingRules) {

    private static final int MAX_ROUTING_RULES = 50;
    private static final Set<String> PROTOCOLS = Set.of("http", "https");

    /**
     * Where a redirect sends a request: each part null to keep the request's.
     *
     * @param replaceKeyPrefixWith replaces the condition's {@code KeyPrefixEquals} in the key
     * @param replaceKeyWith replaces the whole key
     * @param httpRedirectCode the status, 301 unless given
     */
    record Redirect(String hostName, String protocol, String replaceKeyPrefixWith, String replaceKeyWith, String httpRedirectCode) {}

    /** A rule: when the key starts with {@code keyPrefixEquals} and/or the answer would be {@code httpErrorCodeReturnedEquals}, redirect. */
    record RoutingRule(String keyPrefixEquals, String httpErrorCodeReturnedEquals, Redirect redirect) {

        boolean matches(String key, Integer errorCode) {
            return (keyPrefixEquals == null || key.startsWith(keyPrefixEquals))
                    && (httpErrorCodeReturnedEquals == null ? errorCode == null : errorCode != null
                            && httpErrorCodeReturnedEquals.equals(Integer.toString(errorCode)));
        }
    }

    Website {
        routingRules = List.copyOf(routingRules);
    }

    /** The first routing rule for a request of {@code key} whose answer would be {@code errorCode} (null before the object is looked up). */
    RoutingRule route(String key, Integer errorCode) {
        return routingRules.stream().filter(rule -> rule.matches(key, errorCode)).findFirst().orElse(null);
    }

    /**
     * Reads a {@code WebsiteConfiguration} document.
     *
     * @throws AwsException {@code MalformedXML} for a document that is not one, {@code InvalidArgument}
     *     for one S3 refuses
     */
    static Website parse(byte[] document) {
        Element root = XmlDocuments.root(document, "WebsiteConfiguration");
        Element index = child(root, "IndexDocument");
        Element redirectAll = child(root, "RedirectAllRequestsTo");
        if (redirectAll != null) {
            if (index != null || child(root, "ErrorDocument") != null || child(root, "RoutingRules") != null) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.");
            }
            String host = text(redirectAll, "HostName");
            if (host == null || host.isEmpty()) {
                throw XmlDocuments.malformed();
            }
            return new Website(null, null, new Redirect(host, protocol(text(redirectAll, "Protocol")), null, null, null), List.of());
        }
        String suffix = index == null ? null : text(index, "Suffix");
        if (suffix == null) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty");
        }
        if (suffix.isEmpty() || suffix.contains("/")) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The IndexDocument Suffix is not well formed");
        }
        Element error = child(root, "ErrorDocument");
        String errorKey = error == null ? null : text(error, "Key");
        if (error != null && (errorKey == null || errorKey.isEmpty())) {
            throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The ErrorDocument Key is not well formed");
        }
        return new Website(suffix, errorKey, null, routingRules(child(root, "RoutingRules")));
    }

    private static List<RoutingRule> routingRules(Element rules) {
        List<RoutingRule> parsed = new ArrayList<>();
        if (rules == null) {
            return parsed;
        }
        for (Node node = rules.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element rule)) {
                continue;
            }
            if (!"RoutingRule".equals(rule.getLocalName())) {
                throw XmlDocuments.malformed();
            }
            Element condition = child(rule, "Condition");
            Element redirect = child(rule, "Redirect");
            if (redirect == null) {
                throw XmlDocuments.malformed();
            }
            String prefix = condition == null ? null : text(condition, "KeyPrefixEquals");
            String errorCode = condition == null ? null : text(condition, "HttpErrorCodeReturnedEquals");
            if (condition != null && prefix == null && errorCode == null) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
            }
            if (errorCode != null && !errorCode.matches("4\\d\\d|5\\d\\d")) {
                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The provided HTTP error code (%s) is not valid. Valid codes are 4XX or 5XX.", errorCode);
            }
            String prefixWith = text(redirect, "ReplaceKeyPrefixWith");
            String keyWith = text(redirect, "ReplaceKeyWith");
            if (prefixWith != null && keyWith != null) {
                throw AwsException.of(S3Errors.INVALID_REQUEST, "You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
            }
            String code = text(redirect, "HttpRedirectCode");
            if (code != null && !code.matches("3\\d\\d")) {
                throw AwsException.of(S3Errors.INVALID_ARGUMENT, "The provided HTTP redirect code (%s) is not valid. Valid codes are 3XX except 300.", code);
            }
            parsed.add(new RoutingRule(prefix, errorCode, new Redirect(text(redirect, "HostName"), protocol(text(redirect, "Protocol")), prefixWith,
                    keyWith, code)));
        }
        if (parsed.size() > MAX_ROUTING_RULES) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The number of routing rules must not exceed the allowed limit of %d rules.", MAX_ROUTING_RULES);
        }
        return parsed;
    }

    private static String protocol(String protocol) {
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.");
        }
        return protocol;
    }

    private static Element child(Element parent, String name) {
        return XmlDocuments.child(parent, name);
    }

    private static String text(Element parent, String name) {
        return XmlDocuments.text(parent, name);
    }
}
