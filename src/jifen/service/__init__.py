"""The application service: a Django project whose apps are the bounded contexts of the workflow.

accounts (people, roles, employers, tokens), applications (filing, materials, review workflow,
deadlines), audit (append-only change log), notices (积分通知书 and their verification),
notifications (inbox and e-mail), api (the /api/v1 JSON API), web (pages). Only this package imports
Django; everything it scores or plans comes from the layers below.
"""
