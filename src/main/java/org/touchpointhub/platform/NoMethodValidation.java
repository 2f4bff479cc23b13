package org.touchpointhub.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC without Bean Validation. No controller of the hub declares a constraint: every input is checked by the
 * code that reads it, with its own problem answer. Yet with {@code jakarta.validation-api} on the class path (it
 * comes with camel-salesforce), Spring MVC sets up a method validator and, on every request, scans the handler
 * method's and class's annotations for validation groups: about 3 % of the edge threads' samples in a JFR profile
 * of the bench (#7), for nothing. A validator that supports no class, and is not a {@code SmartValidator}, gives
 * Spring MVC nothing to validate with, so it sets up no method validator.
 */
@Configuration(proxyBeanMethods = false)
class NoMethodValidation {

    @Bean
    WebMvcConfigurer noBeanValidation() {
        return new WebMvcConfigurer() {
            @Override
            public Validator getValidator() {
                return new Validator() {
                    @Override
                    public boolean supports(Class<?> type) {
                        return false;
                    }

                    @Override
                    public void validate(Object target, Errors errors) {
                        // nothing is validated by annotations in the hub
                    }
                };
            }
        };
    }
}
