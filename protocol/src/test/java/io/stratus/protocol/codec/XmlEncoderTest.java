package io.stratus.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.protocol.shape.MemberNaming;
import io.stratus.protocol.traits.XmlFlattened;
import io.stratus.protocol.traits.XmlName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlEncoderTest {

    sealed interface Entry permits Kept, Removed {}

    @XmlName("Kept")
    record Kept(String key) implements Entry {}

    @XmlName("Removed")
    record Removed(String key) implements Entry {}

    record Plain(String key) {}

    record Listing(@XmlFlattened @XmlName("Entry") List<Entry> entries, @XmlFlattened @XmlName("Item") List<Plain> items) {}

    private static String encode(Object record) {
        XmlWriter xml = new XmlWriter();
        new XmlEncoder(MemberNaming.PASCAL_CASE).writeMembers(xml, record);
        return new String(xml.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aFlattenedListOfASealedTypeNamesEachElementByItsRecord() {
        String xml = encode(new Listing(List.of(new Kept("a"), new Removed("a"), new Kept("b")), List.of(new Plain("c"))));

        assertThat(xml).endsWith("<Kept><Key>a</Key></Kept><Removed><Key>a</Key></Removed><Kept><Key>b</Key></Kept><Item><Key>c</Key></Item>");
    }
}
