package io.stratus.s3;

import io.stratus.protocol.traits.XmlMemberName;
import java.util.List;

/** A {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>} document, in and out. */
record Tagging(@XmlMemberName("Tag") List<Tag> tagSet) {

    record Tag(String key, String value) {}
}
