"""积分通知书: the points notice of an approved application, as a PDF with a verification code and QR."""
