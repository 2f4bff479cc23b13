package org.touchpointhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TouchpointHub {
    public static void main(String[] args) {
        SpringApplication.run(TouchpointHub.class, args);
    }
}
