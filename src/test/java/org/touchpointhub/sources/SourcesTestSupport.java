package org.touchpointhub.sources;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.touchpointhub.support.HubIntegrationTest;

/** What the pull-source tests share: fixtures and questions to the store. They all run on the one shared hub. */
abstract class SourcesTestSupport extends HubIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    static byte[] fixture(String path) {
        try (InputStream in = SourcesTestSupport.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<String> touchpointType(String connector, String eventId) {
        return jdbc.queryForList("select type from touchpoints where connector = ? and event_id = ?", String.class,
                connector, eventId).stream().findFirst();
    }
}
