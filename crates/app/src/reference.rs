//! Reading the programme's reference data: the programme, its products and task groups.

use cncl_domain::reference::{Product, Programme, TaskGroup};

use crate::{App, AppError};

impl App {
    pub async fn programme(&self) -> Result<Programme, AppError> {
        self.store.programme().await?.ok_or(AppError::NotFound { noun: "programme", id: "decision-2815".into() })
    }

    pub async fn products(&self) -> Result<Vec<Product>, AppError> {
        Ok(self.store.products().await?)
    }

    pub async fn product(&self, code: &str) -> Result<Product, AppError> {
        self.products()
            .await?
            .into_iter()
            .find(|p| p.code.as_str() == code)
            .ok_or_else(|| AppError::NotFound { noun: "product", id: code.to_owned() })
    }

    pub async fn task_groups(&self) -> Result<Vec<TaskGroup>, AppError> {
        Ok(self.store.task_groups().await?)
    }

    pub async fn task_group(&self, code: &str) -> Result<TaskGroup, AppError> {
        self.task_groups()
            .await?
            .into_iter()
            .find(|g| g.code.as_str() == code)
            .ok_or_else(|| AppError::NotFound { noun: "task group", id: code.to_owned() })
    }
}
