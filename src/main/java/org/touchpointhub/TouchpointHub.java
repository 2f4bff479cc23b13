package org.touchpointhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TouchpointHub {
    public static void main(String[] args) {
        if (args.length > 0 && "evaluate".equals(args[0])) {
            System.exit(org.touchpointhub.evaluate.EvaluateCommand.run(args));
        }
        SpringApplication.run(TouchpointHub.class, args);
    }
}
