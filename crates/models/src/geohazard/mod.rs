//! Geological-hazard susceptibility: factor classes, information value, frequency
//! ratio, certainty factor, logistic regression, ROC (issue 7). Being built.
