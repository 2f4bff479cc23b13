package org.touchpointhub;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.touchpointhub.bench.LoadGenerator;

/**
 * Touchpoint Hub: webhooks and pulled events in, one clean record per customer out to the CRM of record.
 * {@code java -jar touchpoint-hub.jar} runs the hub; {@code load} runs the load generator against a running hub; {@code evaluate} measures matching on a labelled file.
 */
@SpringBootApplication
@EnableScheduling
public class TouchpointHub {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("load")) {
            LoadGenerator.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "evaluate".equals(args[0])) {
            System.exit(org.touchpointhub.evaluate.EvaluateCommand.run(args));
        }
        SpringApplication.run(TouchpointHub.class, args);
    }
}
