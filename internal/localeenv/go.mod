module early.invalid/localeenv

go 1.26.0
