package org.touchpointhub;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.touchpointhub.bench.BareIngest;
import org.touchpointhub.bench.Bench;
import org.touchpointhub.bench.LoadGenerator;
import org.touchpointhub.bench.SalesforceDouble;

/**
 * Touchpoint Hub: webhooks and pulled events in, one clean record per customer out to the CRM of record.
 * {@code java -jar touchpoint-hub.jar} runs the hub; {@code load} runs the load generator against a running hub;
 * {@code bench} runs the end-to-end benchmark ({@code salesforce-double} and {@code bare-ingest} are its helper
 * processes); {@code evaluate} measures matching on a labelled file.
 */
@SpringBootApplication
@EnableScheduling
public class TouchpointHub {

    /** Runs the hub, or one of the benchmark tools named by the first argument. */
    public static void main(String[] args) throws Exception {
        String tool = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (tool.equals("load")) {
            LoadGenerator.main(rest);
            return;
        }
        if (tool.equals("bench")) {
            try {
                Bench.main(rest);
            } catch (IllegalArgumentException e) {
                System.err.println("bench: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        if (tool.equals("salesforce-double")) {
            SalesforceDouble.main(rest);
            return;
        }
        if (tool.equals("bare-ingest")) {
            BareIngest.main(rest);
            return;
        }
        if (args.length > 0 && "evaluate".equals(args[0])) {
            System.exit(org.touchpointhub.evaluate.EvaluateCommand.run(args));
        }
        SpringApplication.run(TouchpointHub.class, args);
    }
}
