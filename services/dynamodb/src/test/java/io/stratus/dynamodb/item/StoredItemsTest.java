package io.stratus.dynamodb.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored items read token by token come back as the checked wire reader reads them. */
class StoredItemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyTypeNestedOrNotReadsBackAsWritten() throws IOException {
        String item = """
                {"pk":{"S":"order#1"},"n":{"N":"-12.5"},"big":{"N":"1E+125"},"b":{"B":"AAEC/w=="},"t":{"BOOL":true},"f":{"BOOL":false},
                 "nil":{"NULL":true},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},"bs":{"BS":["AQ==","Ag=="]},"empty":{"S":""},
                 "m":{"M":{"inner":{"L":[{"S":"x"},{"N":"1"},{"M":{}},{"L":[]},{"NULL":true}]},"quote":{"S":"a\\"b\\u00e9"}}}}
                """;
        Map<String, AttributeValue> checked = JSON.readValue(item, new TypeReference<LinkedHashMap<String, AttributeValue>>() {});

        Map<String, AttributeValue> stored = StoredItems.read(JSON.writeValueAsBytes(checked));

        assertThat(stored).isEqualTo(checked);
        assertThat(stored.keySet()).containsExactlyElementsOf(checked.keySet());
        assertThat(((AttributeValue.N) stored.get("big")).text()).isEqualTo(((AttributeValue.N) checked.get("big")).text());
    }

    @Test
    void somethingThatIsNotAStoredItemIsAnError() {
        assertThatThrownBy(() -> StoredItems.read("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StoredItems.read("{\"a\":{\"X\":\"1\"}}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StoredItems.read("{\"a\":{\"S\":\"1\",\"N\":\"2\"}}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }
}
