package org.touchpointhub.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Resident memory of the hub process ({@code hub.process.resident.bytes}), read from {@code /proc/self/status}
 * where the platform has it: the heap alone understates what a host must provide (metaspace, threads, direct
 * buffers of the broker journal).
 */
@Configuration(proxyBeanMethods = false)
class ProcessMemoryMetrics {

    @Bean
    MeterBinder residentMemory() {
        return (MeterRegistry registry) -> Gauge.builder("hub.process.resident.bytes", ProcessMemoryMetrics::residentBytes)
                .description("resident set size of the hub process").baseUnit("bytes").register(registry);
    }

    static double residentBytes() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
