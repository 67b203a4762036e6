module barraiser

go 1.26
