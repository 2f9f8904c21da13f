package io.stratus.s3;

import io.stratus.core.AwsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A bucket's CORS configuration: its rules, checked as S3 checks them on PutBucketCors, and
 * matched against a browser's request (its {@code Origin}, method and requested headers) the way
 * S3 does — the first rule that allows all three applies. Immutable.
 */
record Cors(List<Rule> rules) {

    private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");
    private static final int MAX_RULES = 100;

    /** One {@code CORSRule}. */
    record Rule(List<String> origins, List<String> methods, List<String> headers, List<String> exposeHeaders, Integer maxAgeSeconds) {
        Rule {
            origins = List.copyOf(origins);
            methods = List.copyOf(methods);
            headers = List.copyOf(headers);
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        boolean allows(String origin, String method, List<String> requestedHeaders) {
            return origins.stream().anyMatch(allowed -> wildcard(allowed, origin, false))
                    && methods.contains(method)
                    && requestedHeaders.stream().allMatch(header -> headers.stream().anyMatch(allowed -> wildcard(allowed, header, true)));
        }

        /** What {@code Access-Control-Allow-Origin} says: {@code *} for a rule open to every origin. */
        String allowOrigin(String origin) {
            return origins.contains("*") ? "*" : origin;
        }
    }

    Cors {
        rules = List.copyOf(rules);
    }

    /** The first rule allowing this request, if any. */
    Optional<Rule> match(String origin, String method, List<String> requestedHeaders) {
        return rules.stream().filter(rule -> rule.allows(origin, method, requestedHeaders)).findFirst();
    }

    private static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
        return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    /**
     * Reads and checks a {@code CORSConfiguration} document.
     *
     * @throws AwsException {@code MalformedXML} for a document that is not one, {@code InvalidRequest}
     *     for a rule S3 refuses
     */
    static Cors parse(byte[] document) {
        List<Rule> rules = XmlDocuments.children(document, "CORSConfiguration", (reader, element) -> {
            if (!element.equals("CORSRule")) {
                throw malformed();
            }
            return rule(reader);
        });
        if (rules.isEmpty()) {
            throw malformed();
        }
        if (rules.size() > MAX_RULES) {
            throw AwsException.of(S3Errors.INVALID_REQUEST, "The number of CORS rules should not exceed allowed limit of %d rules.", MAX_RULES);
        }
        return new Cors(rules);
    }

    private static Rule rule(XMLStreamReader reader) throws XMLStreamException {
        List<String> origins = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        List<String> expose = new ArrayList<>();
        Integer maxAge = null;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("CORSRule")) {
                break;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String name = reader.getLocalName();
            String text = reader.getElementText().strip();
            switch (name) {
                case "AllowedOrigin" -> {
                    if (text.indexOf('*') != text.lastIndexOf('*')) {
                        throw AwsException.of(S3Errors.INVALID_REQUEST, "AllowedOrigin \"%s\" can not have more than one wildcard.", text);
                    }
                    origins.add(text);
                }
                case "AllowedMethod" -> {
                    if (!METHODS.contains(text)) {
                        throw AwsException.of(S3Errors.INVALID_REQUEST, "Found unsupported HTTP method in CORS config. Unsupported method is %s", text);
                    }
                    methods.add(text);
                }
                case "AllowedHeader" -> {
                    if (text.indexOf('*') != text.lastIndexOf('*')) {
                        throw AwsException.of(S3Errors.INVALID_REQUEST, "AllowedHeader \"%s\" can not have more than one wildcard.", text);
                    }
                    headers.add(text.toLowerCase(Locale.ROOT));
                }
                case "ExposeHeader" -> expose.add(text);
                case "MaxAgeSeconds" -> {
                    try {
                        maxAge = Integer.parseInt(text);
                    } catch (NumberFormatException e) {
                        throw malformed();
                    }
                }
                case "ID" -> { }
                default -> throw malformed();
            }
        }
        if (origins.isEmpty() || methods.isEmpty()) {
            throw malformed();
        }
        return new Rule(origins, methods, headers, expose, maxAge);
    }

    private static AwsException malformed() {
        return XmlDocuments.malformed();
    }
}
