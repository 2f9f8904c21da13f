package io.stratus.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratus.apigateway.rest.RestApiModel.Resource;
import io.stratus.apigateway.rest.RestApiStore.ApiKey;
import io.stratus.storage.MemoryStore;
import org.junit.jupiter.api.Test;

class RestApiStoreTest {

    @Test
    void listsTheResourcesOfOneApiOnly() {
        try (MemoryStore memory = new MemoryStore()) {
            RestApiStore store = new RestApiStore(memory);
            ApiKey one = new ApiKey("000000000000", "us-east-1", "abc");
            ApiKey other = new ApiKey("000000000000", "us-east-1", "abcd");
            store.transaction(txn -> {
                RestApiStore.putResource(txn, one, new Resource("r1", null, null, "/", null));
                RestApiStore.putResource(txn, one, new Resource("r2", "r1", "items", "/items", null));
                RestApiStore.putResource(txn, other, new Resource("r3", null, null, "/", null));
                return null;
            });

            assertThat(RestApiStore.resources(memory, one)).extracting(Resource::id).containsExactly("r1", "r2");
            assertThat(RestApiStore.resources(memory, other)).extracting(Resource::id).containsExactly("r3");
        }
    }
}
