package io.stratus.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LayerPathsTest {

    private static final Path TASK = Path.of("/data/tasks/fn");
    private static final Path OPT = Path.of("/data/opt/abc");

    @Test
    void nodeFindsModulesWhereAwsPutsThem() {
        var env = LayerPaths.variables(FunctionRuntime.NODEJS20, TASK, OPT, "/usr/bin:/bin");
        assertThat(env).containsEntry("NODE_PATH", "/data/opt/abc/nodejs/node20/node_modules:/data/opt/abc/nodejs/node_modules:/data/tasks/fn")
                .containsEntry("PATH", "/usr/bin:/bin:/data/opt/abc/bin")
                .containsEntry("LD_LIBRARY_PATH", "/data/tasks/fn:/data/tasks/fn/lib:/data/opt/abc/lib")
                .containsEntry("STRATUS_OPT_DIR", "/data/opt/abc")
                .doesNotContainKey("PYTHONPATH");
    }

    @Test
    void pythonFindsPackagesOfItsOwnVersion() {
        var env = LayerPaths.variables(FunctionRuntime.PYTHON313, TASK, OPT, "/bin");
        assertThat(env).containsEntry("PYTHONPATH", "/data/opt/abc/python/lib/python3.13/site-packages:/data/opt/abc/python")
                .doesNotContainKey("NODE_PATH");
    }

    @Test
    void providedGetsBinAndLib() {
        var env = LayerPaths.variables(FunctionRuntime.PROVIDED_AL2023, TASK, OPT, "/bin");
        assertThat(env).containsEntry("PATH", "/bin:/data/opt/abc/bin").containsKey("LD_LIBRARY_PATH").doesNotContainKeys("NODE_PATH", "PYTHONPATH");
    }

    @Test
    void nodeFindsTheRuntimesModulesAfterTheLayersAndBeforeTheTaskRoot() {
        Path modules = Path.of("/srv/aws-sdk/node_modules");
        assertThat(LayerPaths.variables(FunctionRuntime.NODEJS20, TASK, OPT, modules, "/bin")).containsEntry("NODE_PATH",
                "/data/opt/abc/nodejs/node20/node_modules:/data/opt/abc/nodejs/node_modules:/srv/aws-sdk/node_modules:/data/tasks/fn");
        assertThat(LayerPaths.variables(FunctionRuntime.NODEJS20, TASK, null, modules, "/bin"))
                .containsOnly(java.util.Map.entry("NODE_PATH", "/srv/aws-sdk/node_modules:/data/tasks/fn"));
        assertThat(LayerPaths.variables(FunctionRuntime.PYTHON313, TASK, null, modules, "/bin")).isEmpty();
    }

    @Test
    void nothingWithoutAnOptDirectory() {
        assertThat(LayerPaths.variables(FunctionRuntime.NODEJS20, TASK, null, "/bin")).isEmpty();
    }
}
