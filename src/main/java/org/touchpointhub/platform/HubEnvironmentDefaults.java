package org.touchpointhub.platform;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives the engine settings from the configuration contract: the embedded broker keeps its journal under
 * {@code ${hub.data-dir}/artemis}, and a given {@code spring.artemis.broker-url} switches the embedded broker off.
 * These are defaults only: an explicit setting anywhere wins.
 */
public class HubEnvironmentDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String dataDir = env.getProperty("hub.data-dir", "./data");
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.artemis.embedded.data-directory",
                Path.of(dataDir, "artemis").toAbsolutePath().normalize().toString());
        if (env.containsProperty("spring.artemis.broker-url")) {
            defaults.put("spring.artemis.mode", "native");
            defaults.put("spring.artemis.embedded.enabled", "false");
        } else {
            defaults.put("spring.artemis.mode", "embedded");
        }
        env.getPropertySources().addLast(new MapPropertySource("hubEngineDefaults", defaults));
        // A hub started where there is no routes folder (a jar copied elsewhere, a container without the mount) runs
        // without pull routes instead of failing: Camel's directory scan refuses a missing folder.
        String routesDir = env.getProperty("hub.routes-dir", "./routes");
        if (!java.nio.file.Files.isDirectory(Path.of(routesDir))) {
            env.getPropertySources().addFirst(new MapPropertySource("hubNoRoutes", Map.of(
                    "camel.main.routes-include-pattern", "classpath:hub-no-routes/*.yaml",
                    "camel.main.routes-reload-enabled", "false")));
        }
        // pin the data folder as first resolved (e.g. from ${random.uuid} in tests), so every reader sees one folder
        env.getPropertySources().addFirst(new MapPropertySource("hubDataDir", Map.of("hub.data-dir", dataDir)));
    }
}
