package org.touchpointhub.sources;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    long awaitCustomer(String kind, String value) {
        await().atMost(WAIT).until(() -> customerByKey(kind, value).isPresent());
        return customerByKey(kind, value).orElseThrow();
    }

    Optional<Long> customerByKey(String kind, String value) {
        return jdbc.queryForList("select coalesce(c.merged_into, c.id) from identity_keys k join customers c "
                + "on c.id = k.customer_id where k.kind = ? and k.value = ?", Long.class, kind, value).stream().findFirst();
    }

    /** A customer's touchpoints in timeline order: type, connector, event_id, summary, attributes (JSON text). */
    List<Map<String, Object>> timeline(long customer) {
        return jdbc.queryForList("select type, connector, event_id, occurred_at, summary, attributes::text as attributes "
                + "from touchpoints where customer_id = ? order by occurred_at, id", customer);
    }

    List<String> types(long customer) {
        return timeline(customer).stream().map(t -> (String) t.get("type")).toList();
    }

    Optional<String> touchpointType(String connector, String eventId) {
        return jdbc.queryForList("select type from touchpoints where connector = ? and event_id = ?", String.class,
                connector, eventId).stream().findFirst();
    }
}
