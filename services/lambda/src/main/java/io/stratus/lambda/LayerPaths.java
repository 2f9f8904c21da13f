package io.stratus.lambda;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where runtimes look for layers. On AWS a function's layers are extracted into {@code /opt};
 * Stratus runs functions as local processes that cannot see a real {@code /opt}, so each function
 * version gets a directory of its own that plays it ({@code STRATUS_OPT_DIR}), and the search paths
 * AWS's runtimes set up name it instead: {@code NODE_PATH} for Node.js, {@code PYTHONPATH} for
 * Python, {@code PATH} ({@code /opt/bin}) and {@code LD_LIBRARY_PATH} ({@code /opt/lib}) for all.
 * Stateless.
 */
final class LayerPaths {

    /** The variable naming the directory that plays {@code /opt}; Java runtimes put {@code $STRATUS_OPT_DIR/java/lib/*} on the class path. */
    static final String OPT_DIR = "STRATUS_OPT_DIR";

    private LayerPaths() {}

    /** Without a directory of runtime modules. */
    static Map<String, String> variables(FunctionRuntime runtime, Path taskRoot, Path optDir, String path) {
        return variables(runtime, taskRoot, optDir, null, path);
    }

    /**
     * The variables that point a runtime at its layers, and a Node.js runtime at the modules AWS's
     * own Node.js runtimes include (the AWS SDK for JavaScript v3 in {@code /var/runtime/node_modules}).
     *
     * @param optDir the directory that plays {@code /opt}, or null (then none)
     * @param nodeModules the directory that plays {@code /var/runtime/node_modules} (see
     *     {@link LambdaSettings#nodeModules()}), or null (then none)
     * @param path the {@code PATH} the runtime gets otherwise
     */
    static Map<String, String> variables(FunctionRuntime runtime, Path taskRoot, Path optDir, Path nodeModules, String path) {
        Map<String, String> env = new HashMap<>();
        if (runtime.family() == FunctionRuntime.Family.NODE && (optDir != null || nodeModules != null)) {
            // AWS's order: /opt/nodejs/node20/node_modules, /opt/nodejs/node_modules, /var/runtime/node_modules, the task root.
            StringBuilder nodePath = new StringBuilder();
            if (optDir != null) {
                String major = runtime.id().replaceAll("[^0-9]", "");
                nodePath.append(optDir).append("/nodejs/node").append(major).append("/node_modules:").append(optDir).append("/nodejs/node_modules:");
            }
            if (nodeModules != null) {
                nodePath.append(nodeModules).append(':');
            }
            env.put("NODE_PATH", nodePath.append(taskRoot).toString());
        }
        if (optDir == null) {
            return env;
        }
        String opt = optDir.toString();
        env.put(OPT_DIR, opt);
        // AWS's order: the runtime's own directories first, then /opt/bin and /opt/lib.
        env.put("PATH", path + ":" + opt + "/bin");
        env.put("LD_LIBRARY_PATH", taskRoot + ":" + taskRoot + "/lib:" + opt + "/lib");
        if (runtime.family() == FunctionRuntime.Family.PYTHON) {
            // python3.12 → /opt/python/lib/python3.12/site-packages, then /opt/python (after the task root, which the bootstrap puts first).
            env.put("PYTHONPATH", opt + "/python/lib/" + runtime.id() + "/site-packages:" + opt + "/python");
        }
        return env;
    }
}
