package org.touchpointhub.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.touchpointhub.connector.ConnectorRegistry.InvalidConnectorFilesException;

/** Reports broken connector files at start-up as a plain list of problems, without a stack trace. */
class ConnectorFilesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConnectorFilesException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, InvalidConnectorFilesException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the files listed above (each problem names its file and path), then start the hub again.", cause);
    }
}
