package org.touchpointhub.platform;

import java.time.Duration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Client settings for an external Artemis broker ({@code spring.artemis.broker-url}).
 *
 * <p>Why: once connected, the Artemis client knows the broker by two connectors (the URL and the one the broker
 * announces) and waits its retry interval, 2 s by default, between them; while the broker is down every attempt to
 * create a connection therefore takes about 2 s, under the one lock of the shared (caching) connection that the
 * edge and the consumers use. A 100 ms interval ({@code hub.broker.client-retry-interval}) makes a failed attempt
 * take about 0.1 s, so the edge answers 503 promptly and reconnects soon after the broker is back. A
 * {@code retryInterval} given in the broker URL wins.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.broker-url")
class BrokerClientConfiguration {

    @Bean
    static BeanPostProcessor hubBrokerClientSettings(Environment env) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                Object target = bean instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory() : bean;
                String url = env.getProperty("spring.artemis.broker-url", "");
                if (target instanceof ActiveMQConnectionFactory artemis && !url.contains("retryInterval")) {
                    artemis.setRetryInterval(env.getProperty("hub.broker.client-retry-interval", Duration.class,
                            Duration.ofMillis(100)).toMillis());
                }
                return bean;
            }
        };
    }
}
