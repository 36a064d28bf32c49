"""kzappeals: Kazakhstan's Instruction on appeals in the prosecution service
(order No. 4 of 2012 as amended by order No. 165 of 2015), as a checked
specification, a reference implementation and a vendor conformance suite."""

__version__ = "0.1.0"
