package io.stratus.testkit;

import io.stratus.core.StratusConfig;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs one Stratus server in-process for the test class, on a free port, and injects into test
 * methods and constructors: {@link Stratus} (endpoint, clients, restart), and any AWS SDK v2 client
 * type ({@code SqsClient}, {@code DynamoDbClient}, …) ready to call it.
 *
 * <pre>{@code
 * @StratusTest
 * class QueueIT {
 *     @Test
 *     void sends(SqsClient sqs) { … }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(StratusExtension.class)
public @interface StratusTest {

    /** MEMORY (default, fastest) or ROCKSDB in a fresh temporary directory. */
    StratusConfig.Storage storage() default StratusConfig.Storage.MEMORY;

    /** NONE accepts any credentials; SIGV4 verifies signatures (secret {@code test}). */
    StratusConfig.Auth auth() default StratusConfig.Auth.NONE;

    /** The largest request body the edge accepts. */
    long maxBodyBytes() default StratusConfig.DEFAULT_MAX_BODY_BYTES;
}
