package org.touchpointhub.mapping;

/** What a transform may need besides its value: the default phone region and JSON parsing for nested JSON. */
interface MappingContext {

    String defaultRegion();

    Object parseJson(String json);

    Object read(Object document, CompiledPath path);
}
