package io.stratus.protocol.codec;

import io.stratus.protocol.Protocol;
import io.stratus.protocol.ServiceDefinition;
import io.stratus.protocol.shape.MemberNaming;
import io.stratus.protocol.traits.HttpHeader;
import io.stratus.protocol.traits.HttpLabel;
import io.stratus.protocol.traits.HttpPayload;
import io.stratus.protocol.traits.HttpQuery;
import io.stratus.protocol.traits.HttpResponseCode;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlMapEntry;
import io.stratus.protocol.traits.XmlMemberName;
import io.stratus.protocol.traits.XmlName;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Services whose operations echo their input, one per protocol, for the codec tables. */
final class CodecFixtures {

    private CodecFixtures() {}

    record Tag(String key, String value) {}

    record Nested(String label, List<Integer> numbers) {}

    /** Every kind of member an RPC protocol carries. */
    record Everything(
            String name,
            Integer count,
            Long big,
            Boolean flag,
            Double ratio,
            Instant when,
            byte[] blob,
            List<String> names,
            List<Tag> tags,
            @XmlFlattened @XmlName("Attribute") @XmlMapEntry(key = "Name", value = "Value") Map<String, String> attributes,
            @XmlFlattened @XmlName("Item") List<String> items,
            Nested nested) {}

    record Empty() {}

    @XmlName("ThingResult")
    record Thing(
            @HttpLabel("Id") String id,
            @HttpQuery("max") Integer max,
            @HttpQuery("tag") List<String> tagFilter,
            @HttpHeader("X-Trace") String trace,
            @HttpHeader("X-When") Instant when,
            String name,
            @XmlMemberName("Tag") List<Tag> tags,
            @HttpResponseCode Integer status) {}

    record Upload(@HttpLabel("Key") String key, @HttpPayload byte[] data, @HttpHeader("Content-Type") String contentType) {}

    static ServiceDefinition awsJson() {
        return ServiceDefinition.builder("jsonsvc")
                .protocol(Protocol.AWS_JSON_1_0)
                .targetPrefix("JsonService_20240101")
                .errorNamespace("com.example.jsonsvc")
                .queryCompatible()
                .operation("Echo", Everything.class, (context, input) -> input)
                .operation("Nothing", Empty.class, (context, input) -> input)
                .build();
    }

    static ServiceDefinition awsQuery() {
        return ServiceDefinition.builder("querysvc")
                .protocol(Protocol.AWS_QUERY)
                .queryVersion("2024-01-01", "https://querysvc.example.com/doc/2024-01-01/")
                .operation("Echo", Everything.class, (context, input) -> input)
                .operation("Nothing", Empty.class, (context, input) -> input)
                .build();
    }

    static ServiceDefinition restJson() {
        return ServiceDefinition.builder("restsvc")
                .protocol(Protocol.REST_JSON_1)
                .naming(MemberNaming.CAMEL_CASE)
                .operation("GetThing", "GET", "/things/{Id}", 200, Thing.class, (context, input) -> input)
                .operation("PutThing", "PUT", "/things/{Id}", 201, Thing.class, (context, input) -> input)
                .operation("ListThings", "GET", "/things", 200, Empty.class, (context, input) -> input)
                .operation("Upload", "PUT", "/files/{Key+}", 200, Upload.class, (context, input) -> input)
                .build();
    }

    static ServiceDefinition restXml() {
        return ServiceDefinition.builder("xmlsvc")
                .protocol(Protocol.REST_XML)
                .xmlNamespace("http://xmlsvc.example.com/doc/2024-01-01/")
                .operation("GetThing", "GET", "/{Id}", 200, Thing.class, (context, input) -> input)
                .operation("TagThing", "PUT", "/{Id}?tagging", 200, Thing.class, (context, input) -> input)
                .operation("Upload", "PUT", "/files/{Key+}", 200, Upload.class, (context, input) -> input)
                .build();
    }

    static ServiceDefinition forProtocol(String protocol) {
        return switch (protocol) {
            case "awsJson1_0" -> awsJson();
            case "awsQuery" -> awsQuery();
            case "restJson1" -> restJson();
            case "restXml" -> restXml();
            default -> throw new IllegalArgumentException(protocol);
        };
    }
}
