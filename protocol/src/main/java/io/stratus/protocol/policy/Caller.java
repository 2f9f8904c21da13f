package io.stratus.protocol.policy;

import static java.util.Objects.requireNonNull;

import io.stratus.core.Principal;

/**
 * Who asks for access, as a resource policy's {@code Principal} element sees it: an AWS principal
 * (an account's root, an assumed role's session), an AWS service delivering on a resource's behalf
 * ({@code s3.amazonaws.com}), or nobody at all.
 */
public sealed interface Caller {

    /** A signed caller: the principal its access key acts as. */
    record Aws(Principal principal) implements Caller {
        public Aws {
            requireNonNull(principal, "principal is null");
        }
    }

    /**
     * A service principal such as {@code s3.amazonaws.com}, calling on behalf of a source resource.
     *
     * @param region the region it calls from, when a policy may also name it by its regional form
     *     ({@code logs.us-east-1.amazonaws.com}, as older guides have it); else null
     */
    record Service(String name, String region) implements Caller {
        public Service {
            requireNonNull(name, "name is null");
        }

        public Service(String name) {
            this(name, null);
        }

        /** Whether a policy's {@code Service} principal {@code value} names this service. */
        public boolean isNamedBy(String value) {
            if (value.equalsIgnoreCase(name)) {
                return true;
            }
            String global = ".amazonaws.com";
            return region != null && name.endsWith(global)
                    && value.equalsIgnoreCase(name.substring(0, name.length() - global.length()) + "." + region + global);
        }
    }

    /** An unsigned request, which only {@code "Principal": "*"} grants anything. */
    record Anonymous() implements Caller {}

    static Caller of(Principal principal) {
        return new Aws(principal);
    }
}
